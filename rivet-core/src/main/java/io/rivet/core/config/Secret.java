package io.rivet.core.config;

import java.io.Serializable;

/**
 * A credential held in memory; it prints as {@code ***} so it cannot leak through logs or records.
 */
public final class Secret implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return value == null ? null : new Secret(value);
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "***";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
