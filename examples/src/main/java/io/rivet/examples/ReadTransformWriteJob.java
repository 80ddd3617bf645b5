package io.rivet.examples;

import io.rivet.beam.RivetIO;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Read → transform → write with Beam's own IOs: the rows of the demo's {@code orders} come from
 * {@link RivetIO#read()} with their exact types (the amount a {@code BigDecimal} at scale 2, the
 * day a {@code LocalDate}); the job keeps the paid orders, counts and sums them per day — exactly,
 * in decimals — and writes the days as Parquet through {@code FileIO} + {@code ParquetIO} (the
 * revenue a {@code DECIMAL(18,2)}, the day a {@code DATE}).
 *
 * <pre>
 * java -cp ... io.rivet.examples.ReadTransformWriteJob rivet.yaml orders /tmp/daily-revenue
 * </pre>
 */
public final class ReadTransformWriteJob {
  private ReadTransformWriteJob() {}

  /** The output: one record per day. */
  static final String DAILY =
      """
      {"type": "record", "name": "DailyRevenue", "fields": [
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "paid_orders", "type": "long"},
        {"name": "revenue",
         "type": {"type": "bytes", "logicalType": "decimal", "precision": 18, "scale": 2}}]}
      """;

  public static void main(String[] args) {
    String config = args[0];
    String export = args[1];
    String output = args[2];
    Pipeline p =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs(Arrays.copyOfRange(args, 3, args.length)).create());
    Schema daily = new Schema.Parser().parse(DAILY);

    p.apply("Read orders", RivetIO.read().withConfigFile(config).withExport(export))
        .apply("Paid only", Filter.by((Row r) -> "paid".equals(r.getString("status"))))
        .apply(
            "By day",
            WithKeys.of(
                    (Row r) -> r.getLogicalTypeValue("ordered_on", LocalDate.class).toEpochDay())
                .withKeyType(TypeDescriptors.longs()))
        .apply("Group", GroupByKey.create())
        .apply("Count and sum", ParDo.of(new DayTotals(DAILY)))
        .setCoder(AvroCoder.of(GenericRecord.class, daily))
        .apply(
            "Write Parquet",
            FileIO.<GenericRecord>write()
                .via(ParquetIO.sink(daily))
                .to(output)
                .withPrefix("daily")
                .withSuffix(".parquet"));
    p.run().waitUntilFinish();
  }

  /** One day's paid orders: how many, and their exact sum. */
  static final class DayTotals extends DoFn<KV<Long, Iterable<Row>>, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final String schemaJson;
    private transient Schema schema;

    DayTotals(String schemaJson) {
      this.schemaJson = schemaJson;
    }

    @Setup
    public void setup() {
      schema = new Schema.Parser().parse(schemaJson);
    }

    @ProcessElement
    public void process(@Element KV<Long, Iterable<Row>> day, OutputReceiver<GenericRecord> out) {
      long count = 0;
      BigDecimal revenue = BigDecimal.ZERO.setScale(2);
      for (Row r : day.getValue()) {
        count++;
        revenue = revenue.add(r.getDecimal("amount"));
      }
      GenericRecord rec = new GenericData.Record(schema);
      rec.put("day", Math.toIntExact(day.getKey()));
      rec.put("paid_orders", count);
      rec.put("revenue", ByteBuffer.wrap(revenue.unscaledValue().toByteArray()));
      out.output(rec);
    }
  }
}
