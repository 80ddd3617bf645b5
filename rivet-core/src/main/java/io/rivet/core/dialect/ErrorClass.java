package io.rivet.core.dialect;

/** What a source error means for a retry (reference §7.1). */
public enum ErrorClass {
  /** Do not retry: auth, syntax, missing object, statement timeout, anything unknown. */
  PERMANENT,
  /** Retry on a new connection: the connection broke. */
  TRANSIENT_RECONNECT,
  /** Retry on the same connection: lock timeout, deadlock, serialization failure. */
  TRANSIENT
}
