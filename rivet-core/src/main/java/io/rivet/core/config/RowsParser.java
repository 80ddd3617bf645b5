package io.rivet.core.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads where an export's rows come from — {@code table}, {@code query} or {@code query_file} — and
 * makes them safe to wrap: a table name that is one, a query file confined to the config directory,
 * a query without its trailing semicolons.
 */
final class RowsParser {
  private static final Pattern TABLE =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");

  private final YamlObject node;
  private final Path configDir;

  RowsParser(YamlObject node, Path configDir) {
    this.node = node;
    this.configDir = configDir;
  }

  /** Where an export's rows come from: a query (inline or from a file) or a table. */
  record Rows(String query, ExportConfig.TableRef table, int sources) {}

  Rows rows() {
    int sources =
        (node.has("query") ? 1 : 0)
            + (node.has("query_file") ? 1 : 0)
            + (node.has("table") ? 1 : 0);
    if (sources != 1) {
      node.problem(
          null,
          sources == 0
              ? "no rows to export; set exactly one of table, query, query_file"
              : "set exactly one of table, query, query_file; remove the others");
      return new Rows(null, null, sources);
    } else if (node.has("query")) {
      return new Rows(stripSemicolon(node.string("query")), null, sources);
    } else if (node.has("query_file")) {
      return new Rows(stripSemicolon(readQueryFile(node.string("query_file"))), null, sources);
    }
    return new Rows(null, parseTable(node.string("table")), sources);
  }

  private ExportConfig.TableRef parseTable(String t) {
    if (t == null || !TABLE.matcher(t.trim()).matches()) {
      node.problem(
          "table",
          "'"
              + t
              + "' is not a table name; write table: name or table: schema.name (ASCII letters, digits, _)");
      return null;
    }
    String[] parts = t.trim().split("\\.", -1);
    return parts.length == 2
        ? new ExportConfig.TableRef(parts[0], parts[1])
        : new ExportConfig.TableRef(null, parts[0]);
  }

  private String readQueryFile(String f) {
    if (f == null) {
      return null;
    }
    Path p;
    try {
      p = Path.of(f);
    } catch (InvalidPathException e) {
      node.problem(
          "query_file",
          "'"
              + printable(f)
              + "' is not a file path; give a relative path inside the config directory");
      return null;
    }
    if (p.isAbsolute() || f.contains("..")) {
      node.problem(
          "query_file",
          "'" + f + "' must be a relative path inside the config directory, without '..'");
      return null;
    }
    Path file = configDir.resolve(p);
    try {
      // Links are followed before the check: a link inside the directory may not lead out of it.
      Path real = file.toRealPath();
      Path root = configDir.toRealPath();
      if (!real.startsWith(root)) {
        node.problem(
            "query_file",
            "'"
                + f
                + "' leads to "
                + real
                + ", outside the config directory "
                + root
                + " (through a symbolic link); copy the query next to the config instead");
        return null;
      }
      if (Files.size(real) > ConfigLoader.MAX_BYTES) {
        node.problem(
            "query_file",
            "'"
                + f
                + "' is "
                + Files.size(real)
                + " bytes; a query file may hold at most "
                + ConfigLoader.MAX_BYTES
                + " bytes");
        return null;
      }
      return Files.readString(real).trim();
    } catch (IOException e) {
      node.problem(
          "query_file", "cannot read '" + file + "'; check the file exists next to the config");
      return null;
    }
  }

  /** A value as a message can show it: control characters (NUL…) as {@code \\uXXXX}. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.chars()
        .forEach(
            ch -> {
              if (ch < 0x20 || ch == 0x7f) {
                b.append(String.format("\\u%04x", ch));
              } else {
                b.append((char) ch);
              }
            });
    return b.toString();
  }

  /**
   * The query without trailing semicolons; a query whose last line holds a {@code --} (or MySQL
   * {@code #}) comment keeps a final line break, so the statements that wrap it ({@code (query) AS
   * _rivet}, {@code COPY (query) TO …}) are not commented out.
   */
  private static String stripSemicolon(String q) {
    if (q == null) {
      return null;
    }
    String t = q.strip();
    while (t.endsWith(";")) {
      t = t.substring(0, t.length() - 1).strip();
    }
    String lastLine = t.substring(t.lastIndexOf('\n') + 1);
    return lastLine.contains("--") || lastLine.contains("#") ? t + "\n" : t;
  }
}
