package io.rivet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Why rivet writes Parquet the way it does: the narrow table's values (held in memory, so only the
 * writer is measured) written through parquet-mr's record assembly ({@code ParquetWriter} + {@code
 * RecordConsumer}, how rivet wrote until 2026-11) and straight into the column writers (how it
 * writes now), zstd, to a counting sink. Each way runs in its own JVM (the first round includes JIT
 * warm-up, as a CLI run does). Usage: java ... WritePaths [rows=3000000] [record|direct] — without
 * a way, runs both, each in a child JVM.
 */
public final class WritePaths {
  private static final MessageType SCHEMA =
      Types.buildMessage()
          .addField(Types.optional(PrimitiveTypeName.INT64).named("id"))
          .addField(Types.optional(PrimitiveTypeName.INT32).named("a"))
          .addField(Types.optional(PrimitiveTypeName.INT64).named("b"))
          .addField(
              Types.optional(PrimitiveTypeName.INT64)
                  .as(
                      LogicalTypeAnnotation.timestampType(
                          true, LogicalTypeAnnotation.TimeUnit.MICROS))
                  .named("ts"))
          .addField(
              Types.optional(PrimitiveTypeName.INT64)
                  .as(LogicalTypeAnnotation.decimalType(2, 12))
                  .named("amount"))
          .addField(
              Types.optional(PrimitiveTypeName.BINARY)
                  .as(LogicalTypeAnnotation.stringType())
                  .named("label"))
          .named("narrow");
  private static final long ROW_GROUP = 64L << 20;

  private final int n;
  private final long[] id;
  private final int[] a;
  private final long[] b;
  private final long[] ts;
  private final long[] amount;
  private final Binary[] label;

  private WritePaths(int n) {
    this.n = n;
    id = new long[n];
    a = new int[n];
    b = new long[n];
    ts = new long[n];
    amount = new long[n];
    label = new Binary[n];
    for (int i = 0; i < n; i++) {
      long g = i + 1L;
      id[i] = g;
      a[i] = (int) ((g * 7) % 100_000);
      b[i] = g * 13;
      ts[i] = 1_704_067_200_000_000L + g * 1_000_000L;
      amount[i] = g % 100_000;
      label[i] =
          Binary.fromConstantByteArray(("label-" + (g % 1000)).getBytes(StandardCharsets.UTF_8));
    }
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 3_000_000;
    if (args.length > 1) {
      WritePaths w = new WritePaths(rows);
      for (int round = 1; round <= 4; round++) {
        long t = System.nanoTime();
        long bytes = args[1].equals("record") ? w.viaRecordAssembly() : w.direct();
        System.out.printf(
            "%-7s round %d: %,6d ms  %,d bytes%n",
            args[1], round, (System.nanoTime() - t) / 1_000_000, bytes);
      }
      return;
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    for (String way : List.of("record", "direct")) {
      new ProcessBuilder(
              java,
              "-Xms1g",
              "-Xmx1g",
              "-XX:+UseParallelGC",
              "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
              "-cp",
              System.getProperty("java.class.path"),
              WritePaths.class.getName(),
              String.valueOf(rows),
              way)
          .inheritIO()
          .start()
          .waitFor();
    }
  }

  private long viaRecordAssembly() throws Exception {
    Sink out = new Sink();
    try (ParquetWriter<Integer> w =
        new Builder(out, this)
            .withConf(new Configuration(false))
            .withCompressionCodec(CompressionCodecName.ZSTD)
            .withRowGroupSize(ROW_GROUP)
            .withDictionaryEncoding(true)
            .withDictionaryEncoding("id", false)
            .build()) {
      for (int i = 0; i < n; i++) {
        w.write(i);
      }
    }
    return out.bytes;
  }

  private long direct() throws Exception {
    Sink out = new Sink();
    ParquetProperties props =
        ParquetProperties.builder()
            .withDictionaryEncoding(true)
            .withDictionaryEncoding("id", false)
            .build();
    ParquetFileWriter file =
        new ParquetFileWriter(
            out,
            SCHEMA,
            ParquetFileWriter.Mode.CREATE,
            ROW_GROUP,
            0,
            props.getColumnIndexTruncateLength(),
            props.getStatisticsTruncateLength(),
            props.getPageWriteChecksumEnabled());
    file.start();
    CodecFactory codecs = new CodecFactory(new Configuration(false), props.getPageSizeThreshold());
    CodecFactory.BytesCompressor zstd = codecs.getCompressor(CompressionCodecName.ZSTD);
    List<ColumnDescriptor> leaves = SCHEMA.getColumns();
    ColumnChunkPageWriteStore pages = null;
    ColumnWriteStore store = null;
    ColumnWriter[] c = new ColumnWriter[leaves.size()];
    long groupRows = 0;
    for (int i = 0; i < n; i++) {
      if (store == null) {
        pages =
            new ColumnChunkPageWriteStore(
                zstd,
                SCHEMA,
                props.getAllocator(),
                props.getColumnIndexTruncateLength(),
                props.getPageWriteChecksumEnabled(),
                null,
                0);
        store = props.newColumnWriteStore(SCHEMA, pages, pages);
        for (int k = 0; k < c.length; k++) {
          c[k] = store.getColumnWriter(leaves.get(k));
        }
      }
      c[0].write(id[i], 0, 1);
      c[1].write(a[i], 0, 1);
      c[2].write(b[i], 0, 1);
      c[3].write(ts[i], 0, 1);
      c[4].write(amount[i], 0, 1);
      c[5].write(label[i], 0, 1);
      store.endRecord();
      if (++groupRows % 10_000 == 0 && store.getBufferedSize() > ROW_GROUP) {
        flush(file, store, pages, groupRows);
        store = null;
        groupRows = 0;
      }
    }
    if (store != null) {
      flush(file, store, pages, groupRows);
    }
    file.end(new HashMap<>());
    codecs.release();
    return out.bytes;
  }

  private static void flush(
      ParquetFileWriter file, ColumnWriteStore store, ColumnChunkPageWriteStore pages, long rows)
      throws IOException {
    file.startBlock(rows);
    store.flush();
    pages.flushToFileWriter(file);
    file.endBlock();
    store.close();
  }

  private static final class Support extends WriteSupport<Integer> {
    private final WritePaths d;
    private RecordConsumer rc;

    Support(WritePaths d) {
      this.d = d;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(SCHEMA, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      rc = recordConsumer;
    }

    @Override
    public void write(Integer row) {
      int i = row;
      rc.startMessage();
      rc.startField("id", 0);
      rc.addLong(d.id[i]);
      rc.endField("id", 0);
      rc.startField("a", 1);
      rc.addInteger(d.a[i]);
      rc.endField("a", 1);
      rc.startField("b", 2);
      rc.addLong(d.b[i]);
      rc.endField("b", 2);
      rc.startField("ts", 3);
      rc.addLong(d.ts[i]);
      rc.endField("ts", 3);
      rc.startField("amount", 4);
      rc.addLong(d.amount[i]);
      rc.endField("amount", 4);
      rc.startField("label", 5);
      rc.addBinary(d.label[i]);
      rc.endField("label", 5);
      rc.endMessage();
    }
  }

  private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
    private final WritePaths d;

    Builder(OutputFile file, WritePaths d) {
      super(file);
      this.d = d;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
      return new Support(d);
    }
  }

  /** Counts the bytes of the file and keeps none of them. */
  private static final class Sink implements OutputFile {
    long bytes;

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        @Override
        public long getPos() {
          return bytes;
        }

        @Override
        public void write(int x) {
          bytes++;
        }

        @Override
        public void write(byte[] buf, int off, int len) {
          bytes += len;
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}
