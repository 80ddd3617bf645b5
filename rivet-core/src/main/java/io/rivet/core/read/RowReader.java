package io.rivet.core.read;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How one export's chunks are read, chosen once per plan by its dialect: through the driver (cursor
 * fetches, or a driver that streams a whole statement) or an engine's own stream (PostgreSQL binary
 * COPY).
 */
public interface RowReader {
  /**
   * Whether a statement's rows stream without fetch requests, holding the statement open for as
   * long as the client takes to read them (MySQL/MariaDB row streaming, PostgreSQL COPY). Range
   * chunks and keyset pages are then read as several shorter statements sized to a target duration,
   * and the throttle sleeps between them.
   */
  boolean streamsStatements();

  /**
   * Runs one statement of a chunk read on {@code c}, asking the driver for {@code fetchRows} rows
   * per round trip.
   */
  RowSource open(Connection c, ReadRequest request, int fetchRows) throws SQLException;
}
