package io.rivet.bench;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** Reads PostgreSQL's csvlog for the longest statement of one application (log_min_duration_statement = 0). */
final class StatementLog {
  private static final Pattern DURATION = Pattern.compile("duration: ([0-9.]+) ms\\s+(.*)", Pattern.DOTALL);
  /** csvlog columns (PostgreSQL 14): message is the 14th, application_name the 23rd. */
  private static final int MESSAGE = 13;
  private static final int APPLICATION = 22;

  record Longest(double ms, String statement) {}

  private StatementLog() {}

  static Longest longestMs(Path dir, String application) throws Exception {
    Longest best = new Longest(0, "none logged");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
        try (Reader r = Files.newBufferedReader(f)) {
          for (CSVRecord rec : CSVFormat.DEFAULT.parse(r)) {
            if (rec.size() <= APPLICATION || !application.equals(rec.get(APPLICATION))) {
              continue;
            }
            Matcher m = DURATION.matcher(rec.get(MESSAGE));
            if (m.find() && Double.parseDouble(m.group(1)) > best.ms()) {
              String stmt = m.group(2).replaceAll("\\s+", " ");
              best = new Longest(Double.parseDouble(m.group(1)), stmt.length() > 120 ? stmt.substring(0, 120) + "…" : stmt);
            }
          }
        }
      }
    }
    return best;
  }
}
