package io.rivet.bench;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.Arrays;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Contender "Beam's own way": {@code JdbcIO.readWithPartitions → ParquetIO} over the benchmark table. */
public final class JdbcIoParquet {
  private JdbcIoParquet() {}

  static final Schema SCHEMA = SchemaBuilder.record("narrow").fields()
      .requiredLong("id")
      .optionalInt("a")
      .optionalLong("b")
      .name("ts").type().optional().type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)))
      .name("amount").type().optional().type(LogicalTypes.decimal(12, 2).addToSchema(Schema.create(Schema.Type.BYTES)))
      .optionalString("label")
      .endRecord();

  public static void main(String[] args) {
    String url = args[0];
    String out = args[1];
    int partitions = Integer.parseInt(args[2]);
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs(Arrays.copyOfRange(args, 3, args.length)).create());
    p.apply("Read", JdbcIO.<GenericRecord, Long>readWithPartitions(TypeDescriptors.longs())
            .withDataSourceConfiguration(JdbcIO.DataSourceConfiguration.create("org.postgresql.Driver", url))
            .withTable("narrow")
            .withPartitionColumn("id")
            .withNumPartitions(partitions)
            .withRowMapper((ResultSet rs) -> toRecord(SCHEMA, rs))
            .withCoder(AvroCoder.of(SCHEMA)))
        .apply("Write", FileIO.<GenericRecord>write().via(ParquetIO.sink(SCHEMA)).to(out).withSuffix(".parquet"));
    p.run().waitUntilFinish();
  }

  private static GenericRecord toRecord(Schema schema, ResultSet rs) throws Exception {
    GenericRecord r = new GenericData.Record(schema);
    r.put("id", rs.getLong("id"));
    r.put("a", rs.getInt("a"));
    r.put("b", rs.getLong("b"));
    OffsetDateTime ts = rs.getObject("ts", OffsetDateTime.class);
    r.put("ts", ts.toEpochSecond() * 1_000_000L + ts.getNano() / 1000);
    BigDecimal amount = rs.getBigDecimal("amount");
    r.put("amount", ByteBuffer.wrap(amount.unscaledValue().toByteArray()));
    r.put("label", rs.getString("label"));
    return r;
  }
}
