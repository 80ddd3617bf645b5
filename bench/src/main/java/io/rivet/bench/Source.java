package io.rivet.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * A benchmark source: an embedded database holding the fixtures, with its own bulk path and
 * statement log.
 */
interface Source extends AutoCloseable {
  /** "postgres" or "mysql": the {@code source.type} rivet reads it as. */
  String type();

  /** A display name, e.g. "PostgreSQL 14.22 (embedded, zonky)". */
  String describe();

  String jdbcUrl();

  String driverClass();

  /**
   * Creates {@code narrow} (integer keys, timestamps, numeric, short text) with {@code rows} rows.
   */
  void createNarrow(String table, long rows) throws Exception;

  /** Creates {@code wide} (long text, json, numeric, nullable columns) with {@code rows} rows. */
  void createWide(String table, long rows) throws Exception;

  /**
   * A copy of the first {@code rows} rows of a table (the 1M-row run of the memory-flatness check).
   */
  void copyTable(String from, String to, long rows) throws Exception;

  /** On-disk size of the table, for the report. */
  String size(String table) throws Exception;

  /** The database's own bulk path to /dev/null, as a command (its name and its argv). */
  Contender bulk(String table, String java, String classpath);

  /**
   * CPU seconds the server has spent so far (all its processes), to difference around a contender.
   */
  double serverCpuSeconds() throws Exception;

  /** Starts logging statements into a fresh log for the contender that runs next. */
  void startStatementLog(String label) throws Exception;

  /**
   * The longest statement logged since {@link #startStatementLog} by the given application/user.
   */
  StatementLog.Longest longestStatement() throws Exception;

  record Contender(String name, List<String> command, Path workingDir) {}
}
