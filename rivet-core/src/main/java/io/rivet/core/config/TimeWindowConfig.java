package io.rivet.core.config;

import java.io.Serializable;

/**
 * {@code time_window} mode: rows whose time column is at or after midnight UTC {@code days} days
 * ago.
 */
public record TimeWindowConfig(String column, boolean unix, int days) implements Serializable {}
