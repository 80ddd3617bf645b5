package io.rivet.core.dialect;

import io.rivet.core.ErrorCode;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The single lookup of a {@link Dialect}: from a JDBC URL, or from the scheme of a URL in the
 * original's form. The engines register themselves ({@code
 * META-INF/services/io.rivet.core.dialect.Dialect}), so nothing outside an engine's package names
 * its classes.
 */
public final class Dialects {
  private static final List<Dialect> ALL =
      ServiceLoader.load(Dialect.class, Dialects.class.getClassLoader()).stream()
          .map(ServiceLoader.Provider::get)
          .toList();

  private Dialects() {}

  /** Every engine rivet reads. */
  public static List<Dialect> all() {
    return ALL;
  }

  public static Dialect forJdbcUrl(String url) {
    return ALL.stream()
        .filter(d -> d.acceptsJdbcUrl(url))
        .findFirst()
        .orElseThrow(
            () ->
                new RivetException(
                    ErrorCode.CONFIG_INVALID,
                    "source url '"
                        + Redactor.redact(url)
                        + "' is not a supported database URL; supported prefixes: "
                        + supportedPrefixes()));
  }

  /**
   * The engine of a URL scheme of the original's form ({@code postgresql}, {@code mysql}, …), if
   * any.
   */
  public static Optional<Dialect> forScheme(String scheme) {
    return ALL.stream().filter(d -> d.urlSchemes().contains(scheme)).findFirst();
  }

  private static String supportedPrefixes() {
    return ALL.stream()
        .flatMap(
            d ->
                Stream.concat(
                    d.urlSchemes().stream().map(s -> s + "://"), d.jdbcPrefixes().stream()))
        .collect(Collectors.joining(", "));
  }
}
