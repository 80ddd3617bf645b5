package io.rivet.core.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between the databases a state store can live in: how a connection is opened and a
 * write transaction begun, the versioned migrations that create its tables, and how a fault is
 * named. Everything else — the tables, the statements, the rules — is shared.
 */
interface StoreBackend {
  /** The store's URL with any secret removed, for messages. */
  String describe();

  /** Opens the store's one connection, in autocommit mode (transactions are begun explicitly). */
  Connection open() throws SQLException;

  /**
   * The statement that begins a transaction holding the write lock from its start, so writers
   * queue.
   */
  String beginWrite();

  /** The schema's versions, oldest first: each a list of statements. */
  List<List<String>> migrations();

  /** A fault's cause and its fix, for the operator. */
  String explain(SQLException e);

  /**
   * Called when opening failed: a store this open created and could not set up is removed, not left
   * behind.
   */
  void discardIfCreated();
}
