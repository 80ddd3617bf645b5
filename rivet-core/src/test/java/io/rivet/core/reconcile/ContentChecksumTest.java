package io.rivet.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The checksum's definition, against values computed independently (Python's {@code hashlib} and
 * {@code struct}): a row's hash is the first 8 bytes of the MD5 of its text, big-endian; float
 * tokens are the double's bits; sums wrap modulo 2^64.
 */
class ContentChecksumTest {
  @Test
  void rowHashIsTheFirstEightBytesOfMd5() {
    assertThat(ContentChecksum.rowHash("1,N")).isEqualTo(445188700841618926L);
    assertThat(ContentChecksum.rowHash("t,-1.50,7ff8000000000000"))
        .isEqualTo(-8032242229749619752L);
  }

  @Test
  void textTokensAreTheMd5OfUtf8() {
    assertThat(ContentChecksum.md5Hex("héllo".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("be50e8478cf24ff3595bc7307fb91b50");
  }

  @Test
  void floatTokensAreTheBitsOfTheDouble() {
    assertThat(ContentChecksum.floatBits(1.5)).isEqualTo("3ff8000000000000");
    assertThat(ContentChecksum.floatBits(0.1f)).isEqualTo("3fb99999a0000000");
    assertThat(ContentChecksum.floatBits(Double.NaN)).isEqualTo("7ff8000000000000");
    assertThat(ContentChecksum.floatBits(Float.NaN)).isEqualTo("7ff8000000000000");
    assertThat(ContentChecksum.floatBits(-0.0)).isEqualTo(ContentChecksum.floatBits(0.0));
  }

  @Test
  void sumsWrapModulo2To64() {
    ContentChecksum.Sum a = ContentChecksum.Sum.of(1, new BigDecimal("18446744073709551615"));
    assertThat(a.checksum()).isEqualTo(-1L);
    assertThat(a.plus(ContentChecksum.Sum.of(1, BigDecimal.ONE)).checksum()).isZero();
    assertThat(ContentChecksum.Sum.of(2, new BigDecimal("18446744073709551617")).hex())
        .isEqualTo("0000000000000001");
  }
}
