package io.rivet.core.read;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import net.openhft.hashing.LongHashFunction;

/**
 * {@code _rivet_row_hash}: a 64-bit xxh3 over the row's values as the driver renders them as text,
 * in column order, each prefixed by a NULL/present marker and its length — so {@code (a, bc)} and
 * {@code (ab, c)} differ. Stable for one source and driver; meant to detect changed rows, not to
 * compare engines.
 */
public final class RowHash {
  private static final LongHashFunction XX3 = LongHashFunction.xx3();

  private final int columns;
  private ByteBuffer buffer = ByteBuffer.allocate(4096);

  public RowHash(int columns) {
    this.columns = columns;
  }

  public long of(ResultSet rs) throws SQLException {
    buffer.clear();
    for (int i = 1; i <= columns; i++) {
      String v = rs.getString(i);
      if (v == null) {
        ensure(1);
        buffer.put((byte) 0);
      } else {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        ensure(5 + b.length);
        buffer.put((byte) 1).putInt(b.length).put(b);
      }
    }
    return XX3.hashBytes(buffer.array(), 0, buffer.position());
  }

  private void ensure(int more) {
    if (buffer.remaining() < more) {
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more));
      buffer.flip();
      bigger.put(buffer);
      buffer = bigger;
    }
  }
}
