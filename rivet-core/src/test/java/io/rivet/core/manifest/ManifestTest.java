package io.rivet.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestTest {
  @Test
  void successMarkerIsTheFingerprintOfTheExactManifestBytes() {
    byte[] a = "{\"run_id\":\"a\"}".getBytes(StandardCharsets.UTF_8);
    byte[] b = "{\"run_id\":\"b\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(Manifest.successMarker(a)).matches("sha256:[0-9a-f]{64}\n");
    assertThat(Manifest.successMarker(a)).isEqualTo(Manifest.successMarker(a.clone()));
    assertThat(Manifest.successMarker(a)).isNotEqualTo(Manifest.successMarker(b));
  }
}
