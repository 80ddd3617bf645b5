package io.rivet.bench;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** The longest statement a contender ran on the source, from the server's own statement log. */
final class StatementLog {
  private static final Pattern DURATION =
      Pattern.compile("duration: ([0-9.]+) ms\\s+(.*)", Pattern.DOTALL);
  private static final Pattern QUERY_TIME = Pattern.compile("^# Query_time: ([0-9.]+)");
  private static final DateTimeFormatter LOG_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  /** csvlog columns (PostgreSQL 14): log_time is the 1st, message the 14th. */
  private static final int MESSAGE = 13;

  record Longest(double ms, String statement) {
    static final Longest NONE = new Longest(0, "none logged");

    Longest max(double ms, String statement) {
      String s = statement.replaceAll("\\s+", " ").trim();
      return ms > this.ms
          ? new Longest(ms, s.length() > 110 ? s.substring(0, 110) + "…" : s)
          : this;
    }
  }

  private StatementLog() {}

  /**
   * PostgreSQL csvlog with {@code log_min_duration_statement = 0}: statements logged at or after
   * {@code from}.
   */
  static Longest longestInCsvlog(Path dir, Instant from) throws Exception {
    Thread.sleep(300); // the logging collector writes asynchronously
    Longest best = Longest.NONE;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
        try (Reader r = Files.newBufferedReader(f)) {
          for (CSVRecord rec : CSVFormat.DEFAULT.parse(r)) {
            if (rec.size() <= MESSAGE) {
              continue;
            }
            Instant at =
                LocalDateTime.parse(rec.get(0).substring(0, 23), LOG_TIME)
                    .toInstant(ZoneOffset.UTC);
            Matcher m = DURATION.matcher(rec.get(MESSAGE));
            if (!at.isBefore(from) && m.find()) {
              best = best.max(Double.parseDouble(m.group(1)), m.group(2));
            }
          }
        }
      }
    }
    return best;
  }

  /** MariaDB's slow-query log at {@code long_query_time = 0}. */
  static Longest longestInSlowLog(Path file) throws Exception {
    if (!Files.exists(file)) {
      return Longest.NONE;
    }
    Longest best = Longest.NONE;
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = QUERY_TIME.matcher(lines.get(i));
      if (!m.find()) {
        continue;
      }
      int j = i + 1;
      while (j < lines.size()
          && (lines.get(j).startsWith("#")
              || lines.get(j).startsWith("SET timestamp")
              || lines.get(j).startsWith("use "))) {
        j++;
      }
      String stmt = j < lines.size() ? lines.get(j) : "";
      if (!stmt.startsWith("SET GLOBAL slow_query_log")) {
        best = best.max(Double.parseDouble(m.group(1)) * 1000, stmt);
      }
    }
    return best;
  }
}
