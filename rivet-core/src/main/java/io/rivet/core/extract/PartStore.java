package io.rivet.core.extract;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where parts are written: {@link #create} opens a temporary object that no reader can see, {@link
 * #commit} makes it visible under its final name in one step, {@link #abort} drops the temporary
 * object.
 */
public interface PartStore {
  OutputStream create(String partName) throws IOException;

  /**
   * Makes the part visible under its final name; returns what the store reports for the committed
   * object (an object store's ETag or MD5), or null where there is nothing to report (a local
   * disk).
   *
   * @throws PartTakenException if the name is already another writer's committed part; the
   *     temporary object is dropped and nothing is published
   */
  String commit(String partName) throws IOException;

  void abort(String partName);
}
