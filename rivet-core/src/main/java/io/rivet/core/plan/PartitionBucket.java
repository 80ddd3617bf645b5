package io.rivet.core.plan;

import java.io.Serializable;

/**
 * One child of a partitioned export: rows whose partition column lies in {@code [lo, hi)} (dates,
 * UTC), or — for the NULL bucket — is NULL, written under {@code column=value} ({@code
 * __HIVE_DEFAULT_PARTITION__} for NULL).
 */
public record PartitionBucket(String childName, String pathValue, String lo, String hi)
    implements Serializable {
  public boolean nullBucket() {
    return lo == null;
  }
}
