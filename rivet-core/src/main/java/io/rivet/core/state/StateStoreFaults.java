package io.rivet.core.state;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Names a state-store failure by its cause and its fix, from SQLite's result code (never from
 * message text): the operator at 3 a.m. needs "the disk is full", not "no transaction is active".
 */
final class StateStoreFaults {
  private StateStoreFaults() {}

  static String describe(SQLException e) {
    SQLiteErrorCode code = code(e);
    String cause = code == null ? e.getMessage() : "[" + code.name() + "] " + code.message;
    if (code == null) {
      return cause;
    }
    String fix =
        switch (code) {
          case SQLITE_FULL ->
              "the disk that holds the state file is full; free space there, then run again (with"
                  + " --resume if a run was under way) — what was committed before is kept";
          case SQLITE_READONLY,
              SQLITE_READONLY_DIRECTORY,
              SQLITE_READONLY_DBMOVED,
              SQLITE_READONLY_RECOVERY,
              SQLITE_READONLY_CANTLOCK,
              SQLITE_READONLY_ROLLBACK,
              SQLITE_PERM,
              SQLITE_AUTH ->
              "the state file or its directory is read-only for this process; make it writable (the state store"
                  + " lives next to the config)";
          case SQLITE_CANTOPEN ->
              "the state file cannot be opened or created there: the directory is missing, read-only,"
                  + " or not a directory; make the config's directory writable";
          case SQLITE_BUSY,
              SQLITE_BUSY_RECOVERY,
              SQLITE_BUSY_SNAPSHOT,
              SQLITE_LOCKED,
              SQLITE_LOCKED_SHAREDCACHE ->
              "another process holds the state file locked (an open sqlite3 shell, a backup tool, a hung process);"
                  + " close it and run again";
          case SQLITE_NOTADB, SQLITE_CORRUPT, SQLITE_CORRUPT_VTAB ->
              "the state file is damaged or is not a rivet state"
                  + " store; move it aside and restore it from a backup (the destination's marker will refuse a silent fresh"
                  + " start beside earlier parts)";
          case SQLITE_IOERR,
              SQLITE_IOERR_WRITE,
              SQLITE_IOERR_READ,
              SQLITE_IOERR_FSYNC,
              SQLITE_IOERR_SHORT_READ ->
              "the disk returned an I/O error; check the disk and run again";
          default -> null;
        };
    return fix == null ? cause : cause + ": " + fix;
  }

  private static SQLiteErrorCode code(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLiteException se) {
        return se.getResultCode();
      }
    }
    return null;
  }
}
