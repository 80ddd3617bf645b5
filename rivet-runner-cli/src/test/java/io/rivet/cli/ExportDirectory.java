package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.manifest.Manifest;
import io.rivet.core.testing.DuckDb;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What an export directory must look like after a successful run, checked with independent readers:
 * the visible part files are exactly the manifest's parts and the ledger's, every part's SHA-256
 * equals its manifest fingerprint, {@code _SUCCESS} is the manifest's fingerprint, and DuckDB reads
 * every source id {@code 1..rows} exactly once from the directory's glob.
 */
final class ExportDirectory {
  private ExportDirectory() {}

  /** Visible part files (not hidden by a leading {@code .} or {@code _}), sorted. */
  static List<String> visibleParts(Path out) throws Exception {
    try (Stream<Path> s = Files.list(out)) {
      return s.filter(Files::isRegularFile)
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".parquet") && !n.startsWith(".") && !n.startsWith("_"))
          .sorted()
          .toList();
    }
  }

  static void assertEveryRowOnce(Path out, Path stateDb, long rows) throws Exception {
    assertEveryRowOnce(out, "jdbc:sqlite:" + stateDb, rows);
  }

  /** The same, with the ledger read from the state store at a JDBC URL (any backend). */
  static void assertEveryRowOnce(Path out, String stateJdbcUrl, long rows) throws Exception {
    assertThat(out.resolve("_SUCCESS")).exists();
    byte[] manifestBytes = Files.readAllBytes(out.resolve("manifest.json"));
    assertThat(Files.readString(out.resolve("_SUCCESS")))
        .isEqualTo(Manifest.successMarker(manifestBytes));
    Manifest m = Manifest.parse(manifestBytes);
    Map<String, String> manifestParts = new TreeMap<>();
    for (Manifest.Part p : m.parts()) {
      manifestParts.put(p.path(), p.contentFingerprint());
      assertThat(sha256(out.resolve(p.path())))
          .as("SHA-256 of " + p.path())
          .isEqualTo(p.contentFingerprint());
      assertThat(Files.size(out.resolve(p.path()))).isEqualTo(p.sizeBytes());
    }
    assertThat(visibleParts(out))
        .as("files = manifest")
        .containsExactlyElementsOf(manifestParts.keySet());
    assertThat(ledger(stateJdbcUrl, m.runId())).as("ledger = manifest").isEqualTo(manifestParts);
    assertThat(m.rowCount()).isEqualTo(rows);
    List<List<Object>> stats =
        DuckDb.rows(
            "SELECT count(*), count(DISTINCT id), sum(id), min(id), max(id)"
                + " FROM read_parquet('"
                + out
                + "/*.parquet')");
    assertThat(stats.get(0))
        .containsExactly(rows, rows, BigInteger.valueOf(rows * (rows + 1) / 2), 1L, rows);
  }

  /** The ledger's files of a run: name → fingerprint. */
  static Map<String, String> ledger(Path stateDb, String runId) throws Exception {
    return ledger("jdbc:sqlite:" + stateDb, runId);
  }

  static Map<String, String> ledger(String stateJdbcUrl, String runId) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(stateJdbcUrl);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT file_name, fingerprint FROM file_ledger WHERE run_id = ?"
                    + " AND file_name NOT LIKE 'empty:%'")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return out;
  }

  static String sha256(Path f) throws Exception {
    return sha256bytes(Files.readAllBytes(f));
  }

  static String sha256bytes(byte[] b) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** Committed parts with rows in the state store (0 before the store exists). */
  static int committedParts(Path stateDb) {
    if (!Files.exists(stateDb)) {
      return 0;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateDb);
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT count(*) FROM file_ledger WHERE row_count > 0")) {
      return rs.next() ? rs.getInt(1) : 0;
    } catch (SQLException notYetMigrated) {
      return 0;
    }
  }

  /** Committed parts with rows in a state store at a JDBC URL (0 before it exists). */
  static int committedParts(String stateJdbcUrl) {
    try (Connection c = DriverManager.getConnection(stateJdbcUrl);
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT count(*) FROM file_ledger WHERE row_count > 0")) {
      return rs.next() ? rs.getInt(1) : 0;
    } catch (SQLException notYetMigrated) {
      return 0;
    }
  }
}
