package io.rivet.core.config;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A credential held in memory; it prints as {@code ***} so it cannot leak through logs or records,
 * and it serializes as its reference, never its value, so it cannot leak into a pipeline a runner
 * ships either. The reference says where the value is read again wherever the secret is used:
 * {@code env:VAR} (the variable itself), {@code url-env:VAR} / {@code url-file:PATH} (the password
 * of the URL there), or {@code jvm:ID} for a value written into rivet.yaml, which only the
 * launcher's own JVM holds (the DirectRunner; workers elsewhere are told to use url_env, url_file
 * or password_env).
 */
public final class Secret implements Serializable {
  private static final long serialVersionUID = 2L;

  /** Values written into the config, by reference id: known to this JVM only. */
  private static final Map<String, String> KEPT = new ConcurrentHashMap<>();

  private final transient String value;
  private final String ref;

  private Secret(String value, String ref) {
    this.value = value;
    this.ref = ref;
  }

  /**
   * A value with nowhere else to read it from (written into rivet.yaml): kept in this JVM under a
   * new id.
   */
  public static Secret of(String value) {
    if (value == null) {
      return null;
    }
    String id = "jvm:" + UUID.randomUUID();
    KEPT.put(id, value);
    return new Secret(value, id);
  }

  /**
   * A value and where it is read again: {@code env:VAR}, {@code url-env:VAR} or {@code
   * url-file:PATH}.
   */
  public static Secret of(String value, String ref) {
    return value == null ? null : ref == null ? of(value) : new Secret(value, ref);
  }

  /**
   * A secret known only by where it is read ({@code env:VAR}, {@code url-env:VAR}, {@code
   * url-file:PATH}): read when first used, in whichever process uses it.
   */
  public static Secret reference(String ref) {
    if (ref == null || !ref.matches("^(env|url-env|url-file):.+")) {
      throw new IllegalArgumentException(
          "a secret reference is env:VAR, url-env:VAR or url-file:PATH, not " + ref);
    }
    return new Secret(null, ref);
  }

  public String reveal() {
    return value != null ? value : resolve(ref);
  }

  /** Where the value is read again; never the value. */
  public String reference() {
    return ref;
  }

  private static String resolve(String ref) {
    String v;
    if (ref.startsWith("jvm:")) {
      v = KEPT.get(ref);
      if (v == null) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            "the source password is written in rivet.yaml, which only the launcher holds; a worker in another"
                + " process cannot have it. Put the URL in an environment variable (source.url_env) or a file"
                + " (source.url_file), or the password in source.password_env, set on every worker");
      }
      return v;
    }
    if (ref.startsWith("env:")) {
      v = System.getenv(ref.substring(4));
    } else if (ref.startsWith("url-env:")) {
      String url = System.getenv(ref.substring(8));
      v = url == null ? null : UrlPasswords.passwordOf(url.trim());
    } else if (ref.startsWith("url-file:")) {
      try {
        v =
            UrlPasswords.passwordOf(
                Files.readString(Path.of(ref.substring(9)), StandardCharsets.UTF_8).trim());
      } catch (IOException e) {
        v = null;
      }
    } else {
      v = null;
    }
    if (v == null) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "the source password is read from "
              + ref.replaceFirst("^(url-)?env:", "the environment variable ")
                  .replaceFirst("^url-file:", "the file ")
              + ", which this process cannot read; set it on every machine that runs the export");
    }
    return v;
  }

  /** Serialized as its reference alone. */
  private Object writeReplace() throws ObjectStreamException {
    return new Serialized(ref);
  }

  private record Serialized(String ref) implements Serializable {
    private Object readResolve() throws ObjectStreamException {
      return new Secret(null, ref);
    }
  }

  @Override
  public String toString() {
    return "***";
  }

  /** Two secrets are the same when they are read from the same place. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.ref.equals(ref);
  }

  @Override
  public int hashCode() {
    return ref.hashCode();
  }
}
