package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the state store shows of a hot chunk: split once ({@code ChunkSplit}), its restrictions
 * started ({@code RestrictionStarted}) and each committed a part, two of them read at the same time
 * (one started before the other's part was committed).
 */
final class HotChunkEvidence {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HotChunkEvidence() {}

  /**
   * @param schema the state store's tables' qualifier ({@code ""} for SQLite, {@code "s."} for a
   *     PostgreSQL schema)
   */
  static void assertReadAtOnce(Statement st, String schema)
      throws SQLException, java.io.IOException {
    int hot = -1;
    try (ResultSet rs =
        st.executeQuery(
            "SELECT payload_json FROM " + schema + "journal WHERE event = 'ChunkSplit'")) {
      assertThat(rs.next()).as("the hot chunk was split").isTrue();
      JsonNode split = JSON.readTree(rs.getString(1));
      hot = split.path("chunk_index").asInt();
      assertThat(split.path("cut_points").size()).isGreaterThanOrEqualTo(1);
      assertThat(rs.next()).as("only the hot chunk").isFalse();
    }
    List<long[]> pieces = new ArrayList<>(); // from, started (ms), committed (ms)
    try (ResultSet rs =
        st.executeQuery(
            "SELECT recorded_at, payload_json FROM "
                + schema
                + "journal WHERE event = 'RestrictionStarted'")) {
      while (rs.next()) {
        JsonNode p = JSON.readTree(rs.getString(2));
        if (p.path("chunk_index").asInt() == hot) {
          pieces.add(
              new long[] {
                p.path("from").asLong(), Instant.parse(rs.getString(1)).toEpochMilli(), 0
              });
        }
      }
    }
    StringBuilder events = new StringBuilder();
    try (ResultSet rs = st.executeQuery("SELECT event, payload_json FROM " + schema + "journal")) {
      while (rs.next()) {
        events.append(rs.getString(1)).append(' ').append(rs.getString(2)).append('\n');
      }
    }
    assertThat(pieces)
        .as("restrictions of the hot chunk in\n" + events)
        .hasSizeGreaterThanOrEqualTo(2);
    for (long[] piece : pieces) {
      try (ResultSet rs =
          st.executeQuery(
              "SELECT max(created_at) FROM "
                  + schema
                  + "file_ledger WHERE chunk_index = "
                  + hot
                  + " AND range_start = "
                  + piece[0])) {
        assertThat(rs.next()).isTrue();
        piece[2] = Instant.parse(rs.getString(1)).toEpochMilli();
      }
    }
    boolean overlap = false;
    for (long[] a : pieces) {
      for (long[] b : pieces) {
        overlap |= a != b && a[1] < b[2] && b[1] < a[2];
      }
    }
    assertThat(overlap).as("two restrictions of the hot chunk were read at the same time").isTrue();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT count(DISTINCT range_start) FROM "
                + schema
                + "file_ledger WHERE chunk_index = "
                + hot)) {
      rs.next();
      assertThat(rs.getInt(1)).as("a part per restriction").isGreaterThanOrEqualTo(pieces.size());
    }
  }
}
