package io.rivet.core.dialect;

import io.rivet.core.ErrorCode;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import io.rivet.core.dialect.mysql.MySqlDialect;
import io.rivet.core.dialect.postgres.PostgresDialect;
import io.rivet.core.dialect.sqlserver.SqlServerDialect;

/** The single lookup of a {@link Dialect} from a JDBC URL. */
public final class Dialects {
  private Dialects() {}

  public static Dialect forJdbcUrl(String url) {
    if (url != null && url.startsWith("jdbc:postgresql:")) {
      return PostgresDialect.INSTANCE;
    }
    if (url != null && url.startsWith("jdbc:mysql:")) {
      return MySqlDialect.INSTANCE;
    }
    if (url != null && url.startsWith("jdbc:sqlserver:")) {
      return SqlServerDialect.INSTANCE;
    }
    throw new RivetException(ErrorCode.CONFIG_INVALID,
        "source url '" + Redactor.redact(url) + "' is not a supported database URL; supported prefixes: "
            + "postgresql://, postgres://, jdbc:postgresql:, mysql://, mariadb://, jdbc:mysql:, jdbc:mariadb:, "
            + "sqlserver://, jdbc:sqlserver:");
  }
}
