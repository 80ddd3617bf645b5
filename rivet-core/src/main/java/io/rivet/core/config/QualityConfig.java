package io.rivet.core.config;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** {@code quality}: gates evaluated over the committed parts before an export is finalized. */
public record QualityConfig(
    Long rowCountMin,
    Long rowCountMax,
    Map<String, Double> nullRatioMax,
    List<String> uniqueColumns,
    Long uniqueMaxEntries)
    implements Serializable {
  public static final QualityConfig NONE = new QualityConfig(null, null, Map.of(), List.of(), null);

  public QualityConfig {
    nullRatioMax = Map.copyOf(nullRatioMax);
    uniqueColumns = List.copyOf(uniqueColumns);
  }

  public boolean any() {
    return rowCountMin != null
        || rowCountMax != null
        || !nullRatioMax.isEmpty()
        || !uniqueColumns.isEmpty();
  }
}
