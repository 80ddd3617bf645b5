package io.rivet.core.config;

/** Database engines a source may be. */
public enum SourceType {
  POSTGRES,
  MYSQL,
  MSSQL
}
