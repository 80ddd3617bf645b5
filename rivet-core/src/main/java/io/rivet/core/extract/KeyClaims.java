package io.rivet.core.extract;

/**
 * Claims chunk keys in ascending order; false means the range was split before this key and reading
 * must stop.
 */
@FunctionalInterface
public interface KeyClaims {
  boolean tryClaim(long key);
}
