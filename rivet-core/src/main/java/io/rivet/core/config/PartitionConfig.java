package io.rivet.core.config;

import java.io.Serializable;

/**
 * {@code partition_by} + {@code partition_granularity}: one child export per day, month or year of
 * a date or timestamp column, each written under {@code {partition}} = {@code column=value} with
 * its own manifest.
 */
public record PartitionConfig(String column, Granularity granularity) implements Serializable {
  /** {@code partition_granularity}. */
  public enum Granularity {
    DAY,
    MONTH,
    YEAR
  }
}
