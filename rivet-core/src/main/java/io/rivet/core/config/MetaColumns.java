package io.rivet.core.config;

import java.io.Serializable;

/** {@code meta_columns}: extra columns Rivet appends to every row. */
public record MetaColumns(boolean exportedAt, boolean rowHash) implements Serializable {
  public static final MetaColumns NONE = new MetaColumns(false, false);
}
