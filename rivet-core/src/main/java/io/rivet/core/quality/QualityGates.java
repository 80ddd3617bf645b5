package io.rivet.core.quality;

import io.rivet.core.config.QualityConfig;
import io.rivet.core.state.PartRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.openhft.hashing.LongHashFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;

/**
 * Quality gates over the committed parts of an export (reference §7.4): row counts from the ledger,
 * NULL ratios from the Parquet footers' statistics, duplicates by reading the unique columns back
 * from the files (64-bit xxh3 of each value, capped by {@code unique_max_entries}, past which the
 * check becomes a warning).
 */
public final class QualityGates {
  private QualityGates() {}

  /** What failed (exit 3) and what only warns. */
  public record Result(List<String> failures, List<String> warnings) {
    public boolean passed() {
      return failures.isEmpty();
    }
  }

  public static Result evaluate(
      QualityConfig q, List<PartRecord> ledger, Function<String, InputFile> open)
      throws IOException {
    List<String> failures = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<PartRecord> parts = ledger.stream().filter(PartRecord::isFile).toList();
    long rows = parts.stream().mapToLong(PartRecord::rows).sum();
    if (q.rowCountMin() != null && rows < q.rowCountMin()) {
      failures.add("row_count_min: " + rows + " rows < " + q.rowCountMin());
    }
    if (q.rowCountMax() != null && rows > q.rowCountMax()) {
      failures.add("row_count_max: " + rows + " rows > " + q.rowCountMax());
    }
    if (!q.nullRatioMax().isEmpty()) {
      Map<String, Long> nulls = nullCounts(parts, open, q.nullRatioMax().keySet());
      q.nullRatioMax()
          .forEach(
              (col, max) -> {
                if (!nulls.containsKey(col)) {
                  failures.add("null_ratio_max." + col + ": no such column in the export");
                  return;
                }
                double ratio = rows == 0 ? 0 : (double) nulls.get(col) / rows;
                if (ratio > max) {
                  failures.add(
                      String.format(
                          "null_ratio_max.%s: %.4f of %d rows are NULL > %s",
                          col, ratio, rows, max));
                }
              });
    }
    if (!q.uniqueColumns().isEmpty()) {
      if (q.uniqueMaxEntries() == null) {
        warnings.add(
            "unique_columns without unique_max_entries: the duplicate check holds one 64-bit hash per row in memory");
      }
      unique(q, parts, open, failures, warnings);
    }
    return new Result(failures, warnings);
  }

  private static Map<String, Long> nullCounts(
      List<PartRecord> parts, Function<String, InputFile> open, Set<String> cols)
      throws IOException {
    Map<String, Long> nulls = new HashMap<>();
    for (PartRecord p : parts) {
      try (ParquetFileReader r = ParquetFileReader.open(open.apply(p.fileName()))) {
        for (BlockMetaData b : r.getFooter().getBlocks()) {
          for (ColumnChunkMetaData c : b.getColumns()) {
            String top = c.getPath().toArray()[0];
            Statistics<?> st = c.getStatistics();
            if (cols.contains(top) && c.getPath().size() == 1 && st != null) {
              nulls.merge(top, st.getNumNulls(), Long::sum);
            }
          }
        }
      }
    }
    return nulls;
  }

  private static void unique(
      QualityConfig q,
      List<PartRecord> parts,
      Function<String, InputFile> open,
      List<String> failures,
      List<String> warnings)
      throws IOException {
    LongHashFunction xx3 = LongHashFunction.xx3();
    for (String col : q.uniqueColumns()) {
      Set<Long> seen = new HashSet<>();
      long duplicates = 0;
      boolean capped = false;
      outer:
      for (PartRecord p : parts) {
        InputFile in = open.apply(p.fileName());
        MessageType file;
        try (ParquetFileReader r = ParquetFileReader.open(in)) {
          file = r.getFileMetaData().getSchema();
        }
        if (!file.containsField(col)) {
          failures.add("unique_columns." + col + ": no such column in the export");
          break;
        }
        Configuration conf = new Configuration(false);
        conf.set(
            ReadSupport.PARQUET_READ_SCHEMA,
            Types.buildMessage().addField(file.getType(col)).named("p").toString());
        try (ParquetReader<Group> reader =
            new ParquetReader.Builder<Group>(in) {
              @Override
              protected ReadSupport<Group> getReadSupport() {
                return new GroupReadSupport();
              }
            }.withConf(conf).build()) {
          for (Group g = reader.read(); g != null; g = reader.read()) {
            String v = g.getFieldRepetitionCount(0) == 0 ? "\u0000NULL" : g.getValueToString(0, 0);
            if (!seen.add(xx3.hashChars(v))) {
              duplicates++;
            }
            if (q.uniqueMaxEntries() != null && seen.size() >= q.uniqueMaxEntries()) {
              capped = true;
              break outer;
            }
          }
        }
      }
      if (capped) {
        warnings.add(
            "unique_columns."
                + col
                + ": stopped at unique_max_entries="
                + q.uniqueMaxEntries()
                + " values; not fully checked");
      }
      if (duplicates > 0) {
        failures.add("unique_columns." + col + ": " + duplicates + " duplicate value(s)");
      }
    }
  }
}
