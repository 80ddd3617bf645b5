package io.rivet.bench;

import java.io.OutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import org.postgresql.PGConnection;

/**
 * Contender "the database's own bulk path": {@code COPY (SELECT …) TO STDOUT} streamed into
 * nothing.
 */
public final class CopyToNull {
  private CopyToNull() {}

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0])) {
      long rows =
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyOut(args[1], OutputStream.nullOutputStream());
      System.out.println(rows);
    }
  }
}
