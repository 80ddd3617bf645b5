package io.rivet.core.config;

/** Where the source runs; picks the default tuning profile (local → fast, otherwise balanced). */
public enum Environment {
  PRODUCTION,
  REPLICA,
  LOCAL
}
