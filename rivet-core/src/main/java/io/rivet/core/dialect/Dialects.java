package io.rivet.core.dialect;

import io.rivet.core.ErrorCode;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import io.rivet.core.dialect.postgres.PostgresDialect;

/** The single lookup of a {@link Dialect} from a JDBC URL. */
public final class Dialects {
  private Dialects() {}

  public static Dialect forJdbcUrl(String url) {
    if (url != null && url.startsWith("jdbc:postgresql:")) {
      return PostgresDialect.INSTANCE;
    }
    if (url != null && (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:sqlserver:"))) {
      throw new RivetException(ErrorCode.NOT_SUPPORTED_YET,
          "source " + Redactor.redact(url) + ": this engine is not supported yet; this version exports from PostgreSQL (jdbc:postgresql:)");
    }
    throw new RivetException(ErrorCode.CONFIG_INVALID,
        "source url '" + Redactor.redact(url) + "' is not a supported database URL; supported prefixes: "
            + "postgresql://, postgres://, jdbc:postgresql:");
  }
}
