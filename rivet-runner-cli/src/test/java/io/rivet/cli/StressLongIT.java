package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long tier ({@code mvn -B verify -Plong}): million-row stress with a peak-RSS threshold, an
 * OLTP load on the source during an export, and a soak of repeated runs whose RSS must stay flat.
 * Thresholds are system properties ({@code rivet.long.rows}, {@code rivet.long.rssMb}); the RSS
 * default is the launcher's 512 MB promise.
 */
class StressLongIT {
  private static final long ROWS = Long.getLong("rivet.long.rows", 3_000_000L);

  /**
   * The launcher's promise (docs/runners.md): under 512 MB whatever the table size; measured
   * 427–446 MB here.
   */
  private static final long RSS_MB = Long.getLong("rivet.long.rssMb", 512L);

  private static TestingPostgresServer pg;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    pg.execute(
        "CREATE TABLE big (id bigint PRIMARY KEY, a integer, b bigint, ts timestamptz, amount numeric(12,2), label text)",
        "INSERT INTO big SELECT g, (g * 7) % 100000, g * 13, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',"
            + " (g % 100000) / 100.0, 'label-' || (g % 1000) FROM generate_series(1, "
            + ROWS
            + ") g",
        "ANALYZE big");
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  private Path config(String name, String extra) throws Exception {
    return config(name, "big", extra);
  }

  private Path config(String name, String table, String extra) throws Exception {
    Path yaml = dir.resolve(name + ".yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - name: %s
            table: %s
            mode: chunked
            parallel: 2
            %s
            format: parquet
            destination: {type: local, path: "./%s/{run_id}"}
        """
            .formatted(pg.jdbcUrl(), name, table, extra, name));
    return yaml;
  }

  private static void assertEveryIdOnce(Path glob, long rows) throws Exception {
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT id), sum(id) FROM read_parquet('"
                        + glob
                        + "')")
                .get(0))
        .containsExactly(
            rows,
            rows,
            BigInteger.valueOf(rows).multiply(BigInteger.valueOf(rows + 1)).divide(BigInteger.TWO));
  }

  @Test
  void millionsOfRowsExactlyOnceUnderTheRssThreshold() throws Exception {
    RivetProcess p =
        RivetProcess.run(dir.resolve("stress.log"), "run", "-c", config("stress", "").toString());
    assertThat(p.exitCode()).as(p.output()).isZero();
    assertEveryIdOnce(dir.resolve("stress/*/*.parquet"), ROWS);
    assertThat(p.peakRssMb()).as("peak RSS of rivet run over %,d rows", ROWS).isLessThan(RSS_MB);
    System.out.printf("stress: %,d rows, peak RSS %d MB%n", ROWS, p.peakRssMb());
  }

  @Test
  void anOltpLoadOnTheSourceDuringTheExportLosesAndDuplicatesNothing() throws Exception {
    pg.execute(
        "CREATE TABLE oltp AS SELECT * FROM big",
        "ALTER TABLE oltp ADD PRIMARY KEY (id)",
        "ANALYZE oltp");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong writes = new AtomicLong();
    Thread oltp =
        new Thread(
            () -> {
              try (Connection c = pg.connect();
                  PreparedStatement ins =
                      c.prepareStatement("INSERT INTO oltp (id, a, label) VALUES (?, 0, 'oltp')");
                  PreparedStatement upd =
                      c.prepareStatement(
                          "UPDATE oltp SET label = 'touched', a = a + 1 WHERE id = ?")) {
                long next = ROWS + 1;
                while (!stop.get()) {
                  ins.setLong(1, next++);
                  ins.executeUpdate();
                  upd.setLong(1, (next * 7919) % ROWS + 1);
                  upd.executeUpdate();
                  writes.addAndGet(2);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    long before;
    try (Connection c = pg.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT max(id) FROM oltp")) {
      rs.next();
      before = rs.getLong(1);
    }
    oltp.start();
    RivetProcess p;
    try {
      p =
          RivetProcess.run(
              dir.resolve("oltp.log"),
              "run",
              "-c",
              config("oltp", "oltp", "chunk_size: 50000").toString());
    } finally {
      stop.set(true);
      oltp.join();
    }
    assertThat(p.exitCode()).as(p.output()).isZero();
    assertThat(writes.get()).as("the OLTP load ran during the export").isGreaterThan(100);
    String files = "read_parquet('" + dir.resolve("oltp/*/*.parquet") + "')";
    assertThat(DuckDb.rows("SELECT count(*) - count(DISTINCT id) FROM " + files).get(0).get(0))
        .isEqualTo(0L);
    assertThat(
            DuckDb.rows("SELECT count(*) FROM " + files + " WHERE id <= " + before).get(0).get(0))
        .isEqualTo(before);
    System.out.printf(
        "oltp: %,d writes during the export, peak RSS %d MB%n", writes.get(), p.peakRssMb());
  }

  @Test
  void soakOfRepeatedRunsKeepsRssFlat() throws Exception {
    Path yaml = config("soak", "chunk_size: 200000");
    List<Long> rss = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RivetProcess p =
          RivetProcess.run(dir.resolve("soak" + i + ".log"), "run", "-c", yaml.toString());
      assertThat(p.exitCode()).as(p.output()).isZero();
      rss.add(p.peakRssMb());
    }
    long first = rss.get(0);
    assertThat(rss).as("peak RSS per run %s", rss).allMatch(r -> r < first * 1.10 && r < RSS_MB);
    try (var s = Files.list(dir.resolve("soak"))) {
      for (Path run : s.toList()) {
        assertEveryIdOnce(run.resolve("*.parquet"), ROWS);
      }
    }
    System.out.println("soak: peak RSS per run " + rss);
  }
}
