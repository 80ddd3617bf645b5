package io.rivet.core.dialect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.rivet.core.Json;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.read.BoundValue;
import io.rivet.core.read.ReadSpec;
import io.rivet.core.schema.ColumnMapping;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * The SQL shapes every engine shares — the base query wrapped as {@code (<base>) AS _rivet}, window
 * functions, bound parameters — with hooks for what differs: quoting, row limits, catalogs.
 */
public abstract class AbstractDialect implements Dialect {
  protected static final String ALIAS = "_rivet";

  /**
   * {@code ... LIMIT n} or {@code TOP n}: the rows of {@code select} limited to {@code rows}, a
   * literal or {@code ?}.
   */
  protected String limit(String selectList, String fromAndWhere, String orderBy, String rows) {
    return "SELECT "
        + selectList
        + " "
        + fromAndWhere
        + (orderBy == null ? "" : " ORDER BY " + orderBy)
        + " LIMIT "
        + rows;
  }

  @Override
  public String tableRef(ExportConfig.TableRef t) {
    return t.schema() == null ? quote(t.name()) : quote(t.schema()) + "." + quote(t.name());
  }

  /**
   * Runs a catalog query taking the table's schema and name, returning {@code (column, data type)}
   * rows of its primary key, and answers the column when the key is one column of one of {@code
   * integerTypes}.
   */
  protected static Optional<String> singleIntegerKey(
      Connection connection, String sql, ExportConfig.TableRef table, Set<String> integerTypes)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      List<String[]> cols = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cols.add(new String[] {rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT)});
        }
      }
      return cols.size() == 1 && integerTypes.contains(cols.get(0)[1])
          ? Optional.of(cols.get(0)[0])
          : Optional.empty();
    }
  }

  /**
   * Asks the engine's {@code explain} (e.g. {@code EXPLAIN (FORMAT JSON)}) for the plan of the base
   * query with the chunk column in {@code [from, to)}, and reads a row estimate out of its JSON
   * with {@code rows}; empty when there is no plan or it is not JSON.
   */
  protected OptionalLong explainedRows(
      Connection connection,
      String explain,
      ReadSpec spec,
      long from,
      long to,
      Function<JsonNode, OptionalLong> rows)
      throws SQLException {
    return explained(connection, explain, spec, from, to, rows, OptionalLong.empty());
  }

  /**
   * The engine's JSON plan ({@code explain} is its EXPLAIN prefix) of reading key range {@code
   * [from, to)} of the base query, read by {@code read}; {@code none} when there is no plan.
   */
  protected <T> T explained(
      Connection connection,
      String explain,
      ReadSpec spec,
      long from,
      long to,
      Function<JsonNode, T> read,
      T none)
      throws SQLException {
    String key = "_rivet_est." + quote(spec.chunkColumn());
    String sql =
        explain
            + " SELECT 1 FROM ("
            + spec.baseQuery()
            + ") AS _rivet_est WHERE "
            + key
            + " >= ? AND "
            + key
            + " < ?";
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      int i = 1;
      for (BoundValue v : spec.baseParams()) {
        v.bind(ps, i++);
      }
      ps.setLong(i++, from);
      ps.setLong(i, to);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? read.apply(Json.MAPPER.readTree(rs.getString(1))) : none;
      } catch (JsonProcessingException e) {
        return none;
      }
    }
  }

  /** Runs a statistics query taking {@code binds} and returning one row count. */
  protected static OptionalLong estimate(Connection connection, String sql, String... binds)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < binds.length; i++) {
        ps.setString(i + 1, binds[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getLong(1) >= 0
            ? OptionalLong.of(rs.getLong(1))
            : OptionalLong.empty();
      }
    }
  }

  /**
   * Empty unless the estimate is above zero (a NULL or 0 from the catalog means it does not know).
   */
  protected static OptionalLong positive(OptionalLong estimate) {
    return estimate.isPresent() && estimate.getAsLong() > 0 ? estimate : OptionalLong.empty();
  }

  /**
   * Appends {@code key=value} to a URL unless it already sets {@code key}; {@code first} and {@code
   * next} separate.
   */
  public static String withParam(String url, String first, String next, String keyValue) {
    String key = keyValue.substring(0, keyValue.indexOf('=') + 1);
    return url.contains(key) ? url : url + (url.contains(first) ? next : first) + keyValue;
  }

  /** A percent-encoded part of a URL, decoded. */
  protected static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  protected String wrap(String baseQuery) {
    return "(" + baseQuery + ") AS " + ALIAS;
  }

  protected String col(String column) {
    return ALIAS + "." + quote(column);
  }

  @Override
  public String schemaProbe(String baseQuery) {
    return limit("*", "FROM " + wrap(baseQuery), null, "0");
  }

  @Override
  public String boundsQuery(String baseQuery, String column) {
    return "SELECT min(" + col(column) + "), max(" + col(column) + ") FROM " + wrap(baseQuery);
  }

  @Override
  public String nullProbe(String baseQuery, String column) {
    return limit("1", "FROM " + wrap(baseQuery) + " WHERE " + col(column) + " IS NULL", null, "1");
  }

  @Override
  public String countQuery(String baseQuery) {
    return "SELECT COUNT(*) FROM " + wrap(baseQuery);
  }

  @Override
  public String rangeQuery(String baseQuery, String column) {
    return rangeQuery(baseQuery, column, "?", "?");
  }

  /**
   * {@link #rangeQuery(String, String)} with the bounds as SQL text (parameter markers or integer
   * literals).
   */
  protected String rangeQuery(String baseQuery, String column, String from, String to) {
    String c = col(column);
    return "SELECT * FROM "
        + wrap(baseQuery)
        + " WHERE "
        + c
        + " >= "
        + from
        + " AND "
        + c
        + " < "
        + to
        + " ORDER BY "
        + c;
  }

  @Override
  public String nullKeyQuery(String baseQuery, String column) {
    return "SELECT * FROM " + wrap(baseQuery) + " WHERE " + col(column) + " IS NULL";
  }

  @Override
  public String denseQuery(String baseQuery, String column) {
    return dense(baseQuery, column, "?", "?");
  }

  /**
   * A dense window with the given SQL for its first ordinal (inclusive) and its end (exclusive).
   */
  protected String dense(String baseQuery, String column, String from, String to) {
    return "SELECT * FROM (SELECT _rivet_i.*, ROW_NUMBER() OVER (ORDER BY _rivet_i."
        + quote(column)
        + ") AS _rivet_chunk_rn FROM ("
        + baseQuery
        + ") AS _rivet_i) AS _rivet_w"
        + " WHERE _rivet_w._rivet_chunk_rn >= "
        + from
        + " AND _rivet_w._rivet_chunk_rn < "
        + to
        + " ORDER BY _rivet_w._rivet_chunk_rn";
  }

  @Override
  public String daysQuery(String baseQuery, String column) {
    return days(baseQuery, column, "?", "?");
  }

  /** A day window with the given SQL for its first day (inclusive) and its end (exclusive). */
  protected String days(String baseQuery, String column, String from, String to) {
    String c = col(column);
    return "SELECT * FROM "
        + wrap(baseQuery)
        + " WHERE "
        + c
        + " >= "
        + from
        + " AND "
        + c
        + " < "
        + to;
  }

  @Override
  public String keysetPageQuery(String baseQuery, String column, boolean lower, boolean upper) {
    return keysetPage(baseQuery, column, lower ? "?" : null, upper ? "?" : null, "?");
  }

  /**
   * A keyset page with the given SQL for its lower (exclusive) and upper (inclusive) bound, either
   * may be null.
   */
  protected String keysetPage(
      String baseQuery, String column, String lower, String upper, String rows) {
    String c = col(column);
    String where =
        lower != null && upper != null
            ? " WHERE " + c + " > " + lower + " AND " + c + " <= " + upper
            : lower != null
                ? " WHERE " + c + " > " + lower
                : upper != null ? " WHERE " + c + " <= " + upper : "";
    return limit("*", "FROM " + wrap(baseQuery) + where, c, rows);
  }

  @Override
  public String keysetBoundaries(String baseQuery, String column) {
    return "SELECT _rivet_s._rivet_k FROM (SELECT "
        + col(column)
        + " AS _rivet_k, ROW_NUMBER() OVER (ORDER BY "
        + col(column)
        + ") AS _rivet_rn FROM "
        + wrap(baseQuery)
        + ") AS _rivet_s"
        + " WHERE _rivet_s._rivet_rn % ? = 0 ORDER BY _rivet_s._rivet_rn";
  }

  @Override
  public void bindKey(PreparedStatement ps, int index, ColumnMapping key, String value)
      throws SQLException {
    if (key.integral()) {
      ps.setLong(index, Long.parseLong(value));
    } else {
      ps.setString(index, value);
    }
  }

  /** The schema a table reference without one is in ({@code null}: the connection's own). */
  protected String defaultSchema() {
    return null;
  }

  @Override
  public List<ExportConfig.TableRef> tables(Connection connection, String schema)
      throws SQLException {
    String s = schema != null ? schema : defaultSchema();
    String[] cs = catalogAndSchema(connection, new ExportConfig.TableRef(s, "_"));
    List<ExportConfig.TableRef> out = new ArrayList<>();
    try (ResultSet rs =
        connection.getMetaData().getTables(cs[0], cs[1], "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        out.add(new ExportConfig.TableRef(s, rs.getString("TABLE_NAME")));
      }
    }
    out.sort(Comparator.comparing(ExportConfig.TableRef::name));
    return out;
  }

  /** Catalog and schema pattern for {@link DatabaseMetaData} look-ups of a table. */
  protected String[] catalogAndSchema(Connection connection, ExportConfig.TableRef table)
      throws SQLException {
    return new String[] {null, table.schema()};
  }

  @Override
  public boolean uniqueNotNull(Connection connection, ExportConfig.TableRef table, String column)
      throws SQLException {
    DatabaseMetaData md = connection.getMetaData();
    String[] cs = catalogAndSchema(connection, table);
    boolean notNull = false;
    try (ResultSet rs = md.getColumns(cs[0], cs[1], table.name(), null)) {
      while (rs.next()) {
        if (rs.getString("COLUMN_NAME").equals(column)) {
          notNull = "NO".equals(rs.getString("IS_NULLABLE"));
        }
      }
    }
    Map<String, Integer> columnsPerIndex = new HashMap<>();
    Map<String, Boolean> onColumn = new HashMap<>();
    try (ResultSet rs = md.getIndexInfo(cs[0], cs[1], table.name(), true, true)) {
      while (rs.next()) {
        String index = rs.getString("INDEX_NAME");
        if (index == null || rs.getString("COLUMN_NAME") == null) {
          continue;
        }
        columnsPerIndex.merge(index, 1, Integer::sum);
        if (rs.getString("COLUMN_NAME").equals(column)) {
          onColumn.put(index, true);
        }
      }
    }
    return notNull && onColumn.keySet().stream().anyMatch(i -> columnsPerIndex.get(i) == 1);
  }

  protected static List<String> none() {
    return List.of();
  }

  /**
   * Pooler evidence shared by the engines: the server's own port against the one connected to, and
   * a session id ({@code sessionIdSql}, first read as {@code firstId}) that changes over three
   * statements of one connection.
   */
  protected static Optional<String> poolerEvidence(
      Connection c,
      Integer serverPort,
      int connectedPort,
      String sessionIdSql,
      long firstId,
      String driftMeaning,
      List<String> seen)
      throws SQLException {
    List<String> out = new ArrayList<>(seen);
    if (serverPort != null && serverPort != 0 && serverPort != connectedPort) {
      out.add(
          "the server listens on port "
              + serverPort
              + " but this connection went to port "
              + connectedPort);
    }
    for (int i = 0; i < 3; i++) {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(sessionIdSql)) {
        rs.next();
        if (rs.getLong(1) != firstId) {
          out.add("the " + driftMeaning);
          break;
        }
      }
    }
    return out.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", out));
  }
}
