package io.rivet.core.config;

import io.rivet.core.Redactor;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The host and port of a source URL, checked before anything connects: {@code java.net.URI} turns
 * an authority it cannot parse (a port that is not a number, a raw {@code @} in the password) into
 * a null host, which the driver then looks up in DNS. Accepts the original's URL forms ({@code
 * postgresql://}, {@code mysql://}, {@code sqlserver://}) and JDBC URLs.
 */
record SourceUrl(String host, int port, boolean tlsInUrl) {

  /** Parses {@code url}; a problem is a message without the YAML path (the caller adds it). */
  static SourceUrl parse(String url, StringBuilder problem) {
    String u = url.trim();
    String lower = u.toLowerCase(Locale.ROOT);
    boolean tls =
        lower.contains("sslmode=")
            || lower.contains("encrypt=")
            || lower.contains("ssl=true")
            || lower.contains("usessl=true");
    String rest = lower.startsWith("jdbc:") ? u.substring(5) : u;
    String scheme =
        rest.contains("://") ? rest.substring(0, rest.indexOf("://")).toLowerCase(Locale.ROOT) : "";
    if (!scheme.matches("postgres|postgresql|mysql|mariadb|sqlserver|mssql")) {
      problem
          .append("'")
          .append(Redactor.redact(u))
          .append(
              "' is not a URL rivet knows; write postgresql://user:password@host:5432/db,"
                  + " mysql://…, sqlserver://…, or a jdbc:postgresql: / jdbc:mysql: / jdbc:sqlserver: URL");
      return null;
    }
    String afterScheme = rest.substring(scheme.length() + 3);
    if (scheme.equals("sqlserver") || scheme.equals("mssql")) {
      // sqlserver://host[:port][;key=value…] — properties follow ';', not a path
      String hostPort = afterScheme.split("[;/?]", 2)[0];
      String userInfoFree =
          hostPort.contains("@") ? hostPort.substring(hostPort.lastIndexOf('@') + 1) : hostPort;
      return hostAndPort(userInfoFree, u, 1433, tls, problem);
    }
    String authority = afterScheme.split("[/?]", 2)[0];
    int ats = authority.length() - authority.replace("@", "").length();
    if (ats > 1) {
      problem.append(
          "the URL's user:password part holds a raw '@'; percent-encode it in the password as %40"
              + " (a@b is written a%40b), or use host/user/password_env instead of a URL");
      return null;
    }
    try {
      URI parsed = new URI(rest);
      if (parsed.getHost() != null) {
        int def = scheme.startsWith("postgres") ? 5432 : 3306;
        return new SourceUrl(parsed.getHost(), parsed.getPort() > 0 ? parsed.getPort() : def, tls);
      }
    } catch (URISyntaxException e) {
      // explained below from the authority itself
    }
    String hostPort = ats == 1 ? authority.substring(authority.indexOf('@') + 1) : authority;
    return hostAndPort(hostPort, u, scheme.startsWith("postgres") ? 5432 : 3306, tls, problem);
  }

  private static SourceUrl hostAndPort(
      String hostPort, String url, int defaultPort, boolean tls, StringBuilder problem) {
    String host = hostPort;
    String port = null;
    if (hostPort.startsWith("[")) {
      int end = hostPort.indexOf(']');
      host = end < 0 ? hostPort : hostPort.substring(0, end + 1);
      port =
          end >= 0 && hostPort.length() > end + 2 && hostPort.charAt(end + 1) == ':'
              ? hostPort.substring(end + 2)
              : null;
    } else if (hostPort.contains(":")) {
      host = hostPort.substring(0, hostPort.lastIndexOf(':'));
      port = hostPort.substring(hostPort.lastIndexOf(':') + 1);
    }
    if (host.isBlank()) {
      problem
          .append("'")
          .append(Redactor.redact(url))
          .append("' names no host; write …://user:password@host:port/db");
      return null;
    }
    if (!host.matches("\\[[0-9a-fA-F:.]+]|[A-Za-z0-9._-]+")) {
      problem
          .append("the host '")
          .append(host)
          .append(
              "' is not a host name or IP address; check the URL, and"
                  + " percent-encode special characters in the user and password");
      return null;
    }
    int p = defaultPort;
    if (port != null && !port.isEmpty()) {
      if (!port.matches("\\d{1,5}")
          || Integer.parseInt(port) < 1
          || Integer.parseInt(port) > 65535) {
        problem
            .append("the port '")
            .append(port)
            .append("' is not a number from 1 to 65535; write host:5432");
        return null;
      }
      p = Integer.parseInt(port);
    }
    return new SourceUrl(host, p, tls);
  }

  /** Whether a host is this machine: connections to it never cross a network. */
  boolean loopback() {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || h.startsWith("127.")
        || h.equals("[::1]")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }
}
