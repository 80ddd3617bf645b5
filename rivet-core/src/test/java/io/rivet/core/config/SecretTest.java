package io.rivet.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret serializes as where it is read again, and is read there when it is used. */
class SecretTest {
  @TempDir Path dir;

  private static byte[] serialize(Object o) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(o);
    }
    return b.toByteArray();
  }

  private static Secret deserialize(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (Secret) in.readObject();
    }
  }

  @Test
  void aSerializedSecretHoldsItsReferenceNotItsValue() throws Exception {
    Secret written = Secret.of("hunter2-in-yaml");
    byte[] bytes = serialize(written);
    assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2-in-yaml");
    Secret back = deserialize(bytes);
    assertThat(back.reveal()).as("this JVM kept it").isEqualTo("hunter2-in-yaml");
    assertThat(back).isEqualTo(written).hasToString("***");
  }

  @Test
  void aUrlFileReferenceIsReadWhereTheSecretIsUsed() throws Exception {
    Path f = dir.resolve("db.url");
    Files.writeString(f, "postgresql://reader:s%40fe@db:5432/app\n");
    Secret back = deserialize(serialize(Secret.of("s@fe", "url-file:" + f)));
    assertThat(back.reveal()).isEqualTo("s@fe");
    Files.writeString(f, "jdbc:postgresql://db/app?user=reader&password=rotated");
    assertThat(deserialize(serialize(back)).reveal())
        .as("read again each time")
        .isEqualTo("rotated");
  }

  @Test
  void aReferenceThatCannotBeReadHereSaysWhereAndHow() throws Exception {
    Secret missing = deserialize(serialize(Secret.of("x", "env:RIVET_TEST_SURELY_UNSET_VARIABLE")));
    assertThatThrownBy(missing::reveal)
        .hasMessageContaining("the environment variable RIVET_TEST_SURELY_UNSET_VARIABLE")
        .hasMessageContaining("every machine");
    Secret foreign = deserialize(serialize(Secret.of("y", "jvm:not-of-this-jvm")));
    assertThatThrownBy(foreign::reveal)
        .hasMessageContaining("source.url_env")
        .hasMessageNotContaining("y\"");
  }

  @Test
  void passwordsAreFoundInUserinfoAndParametersAndParametersLeaveTheUrl() {
    assertThat(UrlPasswords.passwordOf("postgresql://u:p%3Aw@h/db")).isEqualTo("p:w");
    assertThat(UrlPasswords.passwordOf("jdbc:postgresql://h/db?user=u&password=a%26b"))
        .isEqualTo("a&b");
    assertThat(UrlPasswords.passwordOf("jdbc:sqlserver://h:1433;user=u;password=x%y;encrypt=true"))
        .isEqualTo("x%y");
    assertThat(UrlPasswords.passwordOf("jdbc:mysql://h/db?user=u")).isNull();
    assertThat(UrlPasswords.withoutPasswordParameter("jdbc:postgresql://h/db?password=p&user=u"))
        .isEqualTo("jdbc:postgresql://h/db?user=u");
    assertThat(UrlPasswords.withoutPasswordParameter("jdbc:postgresql://h/db?user=u&password=p"))
        .isEqualTo("jdbc:postgresql://h/db?user=u");
    assertThat(UrlPasswords.withoutPasswordParameter("jdbc:sqlserver://h;password=p;encrypt=true"))
        .isEqualTo("jdbc:sqlserver://h;encrypt=true");
  }
}
