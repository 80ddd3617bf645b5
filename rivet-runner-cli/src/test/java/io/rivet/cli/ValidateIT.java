package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rivet validate} at each depth against a real export directory, then against each way it
 * can be damaged: a part of another size, a part with other bytes of the same size, a missing part,
 * a manifest edited after {@code _SUCCESS}, a stray part file (advisory) — each reported with its
 * stable code, exit 3 for failures; {@code verify: content} makes the full read the default; {@code
 * run --validate} reports after the run ({@code reconcile_required: true} reconciles too).
 */
class ValidateIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyDepthAndEveryDamage() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE items (id bigint PRIMARY KEY, v text)",
          "INSERT INTO items SELECT g, md5(g::text) FROM generate_series(1, 1000) g");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: items, table: items, mode: chunked, chunk_column: id, chunk_size: 100,
               reconcile_required: true, format: parquet, destination: {type: local, path: ./out/items}}
            - {name: whole, table: items, mode: full, verify: content,
               format: parquet, destination: {type: local, path: ./out/whole}}
          """
              .formatted(pg.jdbcUrl()));
      RivetChild run =
          RivetChild.start(
              dir.resolve("run.log"), Map.of(), "run", "-c", yaml.toString(), "--validate");
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output())
          .contains("verify: ✓  items")
          .contains("sample: 10 part(s) verified, 0 failed")
          .contains("verify: ✓  whole")
          .contains("full: 1 part(s) verified, 0 failed")
          .doesNotContain("verify: not run")
          .as("reconcile_required: true")
          .contains("10 chunk(s): 10 match, 0 mismatch, 0 unknown")
          .doesNotContain("reconcile whole");

      JsonNode all = validate(yaml, 0);
      assertThat(all.isArray()).isTrue();
      assertThat(all.get(0).get("depth_level").asText()).isEqualTo("sample");
      assertThat(all.get(1).get("depth_level").asText()).as("verify: content").isEqualTo("full");
      JsonNode light = validate(yaml, 0, "-e", "items", "--depth", "light");
      assertThat(light.get("passed").asBoolean()).isTrue();
      assertThat(light.get("parts_verified").asInt()).isZero();
      assertThat(light.get("success_marker_consistent").asBoolean()).isTrue();

      Path out = dir.resolve("out/items");
      List<Path> parts = new ArrayList<>();
      for (String n : ExportDirectory.visibleParts(out)) {
        parts.add(out.resolve(n));
      }
      Path part = parts.get(3);
      byte[] original = Files.readAllBytes(part);

      // A stray copy of a part under another part name: reported, not a failure.
      Path stray = out.resolve(part.getFileName().toString().replace("_chunk3_", "_chunk33_"));
      Files.copy(part, stray);
      JsonNode withStray = validate(yaml, 0, "-e", "items");
      assertThat(withStray.get("untracked_objects").toString())
          .contains(stray.getFileName().toString());
      Files.delete(stray);

      Files.write(part, concat(original, new byte[] {0}));
      assertThat(codes(validate(yaml, 3, "-e", "items")))
          .containsExactly("RIVET_VERIFY_PART_SIZE_MISMATCH");

      byte[] flipped = original.clone();
      flipped[flipped.length / 2] ^= 1;
      Files.write(part, flipped);
      assertThat(codes(validate(yaml, 3, "-e", "items")))
          .containsExactly("RIVET_VERIFY_PART_CHECKSUM_MISMATCH");
      assertThat(codes(validate(yaml, 0, "-e", "items", "--depth", "light")))
          .as("light does not read parts")
          .isEmpty();

      Files.delete(part);
      JsonNode missing = validate(yaml, 3, "-e", "items", "--depth", "full");
      assertThat(codes(missing)).containsExactly("RIVET_VERIFY_PART_MISSING");
      assertThat(missing.get("parts_verified").asInt()).isEqualTo(9);
      assertThat(missing.get("parts_failed").asInt()).isEqualTo(1);
      Files.write(part, original);
      assertThat(validate(yaml, 0, "-e", "items", "--depth", "full").get("passed").asBoolean())
          .isTrue();

      Path manifest = out.resolve("manifest.json");
      String m = Files.readString(manifest);
      Files.writeString(manifest, m.replaceFirst("\"row_count\" : 1000", "\"row_count\" : 1001"));
      assertThat(codes(validate(yaml, 3, "-e", "items", "--depth", "light")))
          .containsExactlyInAnyOrder(
              "RIVET_VERIFY_SUCCESS_STALE", "RIVET_VERIFY_MANIFEST_INCONSISTENT");
      Files.move(manifest, out.resolve("manifest.bak"), StandardCopyOption.REPLACE_EXISTING);
      JsonNode none = validate(yaml, 3, "-e", "items");
      assertThat(codes(none)).containsExactly("RIVET_VERIFY_MANIFEST_REQUIRED");
      assertThat(none.get("legacy_run").asBoolean()).isTrue();
    }
  }

  private JsonNode validate(Path yaml, int exitCode, String... more) throws Exception {
    Path report = dir.resolve("validate.json");
    Files.deleteIfExists(report);
    List<String> args =
        new ArrayList<>(List.of("validate", "-c", yaml.toString(), "-o", report.toString()));
    args.addAll(List.of(more));
    CliRun r = CliRun.of(args.toArray(String[]::new));
    String text = Files.exists(report) ? Files.readString(report) : "";
    assertThat(r.exitCode()).as(r.err() + text).isEqualTo(exitCode);
    return JSON.readTree(text);
  }

  private static List<String> codes(JsonNode report) {
    List<String> out = new ArrayList<>();
    report.get("failures").forEach(f -> out.add(f.get("code").asText()));
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
