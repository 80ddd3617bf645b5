package io.rivet.core.dialect.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.config.ExportConfig;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No SQL Server runs here, so the SQL Server shapes are executed on H2 in MSSQLServer mode
 * (brackets, TOP, OFFSET / FETCH, ROW_NUMBER): each chunk shape must select exactly the rows it
 * claims. The live suite needs RIVET_TEST_SQLSERVER_URL.
 */
class SqlServerShapesOnH2Test {
  private final SqlServerDialect d = SqlServerDialect.INSTANCE;
  private Connection c;
  private String base;

  @BeforeEach
  void open() throws Exception {
    c =
        DriverManager.getConnection(
            "jdbc:h2:mem:shapes;MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE;CASE_INSENSITIVE_IDENTIFIERS=TRUE");
    try (Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS dbo");
      st.execute(
          "CREATE TABLE dbo.[we ird] (id INT PRIMARY KEY, k INT NULL, code NVARCHAR(20) NOT NULL UNIQUE, d DATE)");
      for (int i = 1; i <= 100; i++) {
        st.execute(
            "INSERT INTO dbo.[we ird] VALUES ("
                + i
                + ", "
                + (i % 10 == 0 ? "NULL" : i)
                + ", N'c"
                + (1000 + i)
                + "', DATEADD(day, "
                + i
                + ", CAST('2024-01-01' AS DATE)))");
      }
    }
    base = "SELECT * FROM " + d.tableRef(new ExportConfig.TableRef("dbo", "we ird"));
  }

  @AfterEach
  void close() throws Exception {
    c.close();
  }

  private List<Long> ids(String sql, Object... binds) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < binds.length; i++) {
        ps.setObject(i + 1, binds[i]);
      }
      List<Long> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
      return out;
    }
  }

  @Test
  void probesAndRanges() throws Exception {
    assertThat(base).isEqualTo("SELECT * FROM [dbo].[we ird]");
    try (PreparedStatement ps = c.prepareStatement(d.schemaProbe(base));
        ResultSet rs = ps.executeQuery()) {
      assertThat(rs.next()).isFalse();
      assertThat(rs.getMetaData().getColumnCount()).isEqualTo(4);
    }
    assertThat(ids(d.nullProbe(base, "k"))).containsExactly(1L);
    assertThat(ids(d.countQuery(base))).containsExactly(100L);
    assertThat(ids(d.boundsQuery(base, "id"))).containsExactly(1L);
    assertThat(ids(d.rangeQuery(base, "k"), 5, 9)).containsExactly(5L, 6L, 7L, 8L);
    assertThat(ids(d.nullKeyQuery(base, "k"))).hasSize(10);
    assertThat(ids(d.daysQuery(base, "d"), LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 4)))
        .containsExactly(1L, 2L);
  }

  @Test
  void denseOrdinalsCoverEveryRowOnce() throws Exception {
    List<Long> all = new ArrayList<>();
    for (long lo = 1; lo <= 100; lo += 30) {
      all.addAll(ids(d.denseQuery(base, "k"), lo, Math.min(101, lo + 30)));
    }
    assertThat(all).hasSize(100).doesNotHaveDuplicates();
  }

  @Test
  void keysetPagesAndBoundariesCoverEveryRowOnce() throws Exception {
    List<String> bounds = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(d.keysetBoundaries(base, "code"))) {
      ps.setLong(1, 25);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          bounds.add(rs.getString(1));
        }
      }
    }
    assertThat(bounds).containsExactly("c1025", "c1050", "c1075", "c1100");
    ColumnMapping key = ColumnMapping.of("code", "nvarchar", ColumnKind.STRING);
    List<Long> all = new ArrayList<>();
    String after = null;
    while (true) {
      String sql = d.keysetPageQuery(base, "code", after != null, true);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int i = 1;
        if (after != null) {
          d.bindKey(ps, i++, key, after);
        }
        d.bindKey(ps, i++, key, "c1050");
        ps.setInt(i, 7);
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            all.add(rs.getLong("id"));
            after = rs.getString("code");
            rows++;
          }
        }
        if (rows < 7) {
          break;
        }
      }
    }
    assertThat(all).hasSize(50).doesNotHaveDuplicates().allMatch(id -> id <= 50);
  }
}
