package io.rivet.core.state;

import java.util.List;

/**
 * The PostgreSQL store's schema, version by version: the same tables, columns and versions as
 * {@link SqliteMigrations}, in PostgreSQL's types (64-bit integers where SQLite's INTEGER is,
 * identity columns for its autoincrement). Applied once each, in order, by {@link Migrations}.
 */
final class PostgresMigrations {
  static final List<List<String>> VERSIONS =
      List.of(
          List.of(
              "CREATE TABLE runs (run_id TEXT PRIMARY KEY, export_name TEXT NOT NULL, plan_hash TEXT NOT NULL,"
                  + " status TEXT NOT NULL, plan_json TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
              "CREATE INDEX runs_by_export ON runs (export_name, status)",
              "CREATE TABLE chunk_tasks (run_id TEXT NOT NULL, chunk_index BIGINT NOT NULL, kind TEXT NOT NULL,"
                  + " start_key BIGINT NOT NULL, end_key BIGINT NOT NULL, status TEXT NOT NULL, attempts BIGINT NOT NULL,"
                  + " rows_written BIGINT NOT NULL, last_error TEXT, updated_at TEXT NOT NULL, PRIMARY KEY (run_id, chunk_index))",
              "CREATE TABLE file_ledger (run_id TEXT NOT NULL, export_name TEXT NOT NULL, chunk_index BIGINT NOT NULL,"
                  + " range_start BIGINT NOT NULL, range_end BIGINT NOT NULL, file_name TEXT NOT NULL, row_count BIGINT NOT NULL,"
                  + " bytes BIGINT NOT NULL, fingerprint TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (run_id, file_name))",
              "CREATE TABLE journal (id BIGSERIAL PRIMARY KEY, run_id TEXT NOT NULL, export_name TEXT NOT NULL,"
                  + " recorded_at TEXT NOT NULL, event TEXT NOT NULL, payload_json TEXT NOT NULL)"),
          // v2: keyset pages remember their last key, so a resume continues after the last
          // committed page.
          List.of("ALTER TABLE file_ledger ADD COLUMN last_key TEXT"),
          // v3: incremental cursors, schema baselines for drift, and one metrics row per run.
          List.of(
              "CREATE TABLE export_state (export_name TEXT PRIMARY KEY, last_cursor_value TEXT, last_run_id TEXT,"
                  + " updated_at TEXT NOT NULL)",
              "CREATE TABLE export_schema (export_name TEXT PRIMARY KEY, columns_json TEXT NOT NULL, updated_at TEXT NOT NULL)",
              "CREATE TABLE export_metrics (id BIGSERIAL PRIMARY KEY, export_name TEXT NOT NULL, run_id TEXT NOT NULL,"
                  + " run_at TEXT NOT NULL, duration_ms BIGINT, total_rows BIGINT, peak_rss_mb BIGINT, status TEXT NOT NULL,"
                  + " error_message TEXT, tuning_profile TEXT, format TEXT, mode TEXT, files_produced BIGINT,"
                  + " bytes_written BIGINT, retries BIGINT, validated BIGINT, schema_changed BIGINT)"),
          // v4: shape drift — the longest text/binary value per column, per part and per export.
          List.of(
              "ALTER TABLE file_ledger ADD COLUMN shape_json TEXT",
              "CREATE TABLE export_shape (export_name TEXT NOT NULL, column_name TEXT NOT NULL, max_byte_len BIGINT NOT NULL,"
                  + " updated_at TEXT NOT NULL, PRIMARY KEY (export_name, column_name))"),
          // v5: the MD5 object stores report, listed in the manifest beside the SHA-256
          // fingerprint.
          List.of("ALTER TABLE file_ledger ADD COLUMN content_md5 TEXT"),
          // v6: one writer per export (leases with a fencing token), the store's own id for
          // destination markers, and the checksum an object store reported for a part right after
          // its upload (its ETag or MD5).
          List.of(
              "CREATE TABLE store_identity (store_id TEXT NOT NULL)",
              "INSERT INTO store_identity (store_id) VALUES (md5(random()::text || clock_timestamp()::text))",
              "CREATE TABLE export_leases (export_name TEXT PRIMARY KEY, token TEXT NOT NULL, run_id TEXT, host TEXT NOT NULL,"
                  + " pid BIGINT NOT NULL, process_start TEXT, acquired_at TEXT NOT NULL, heartbeat_at TEXT NOT NULL,"
                  + " expires_at TEXT NOT NULL)",
              "ALTER TABLE file_ledger ADD COLUMN store_tag TEXT"));

  private PostgresMigrations() {}
}
