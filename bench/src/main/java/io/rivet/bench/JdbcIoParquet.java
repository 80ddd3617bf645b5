package io.rivet.bench;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
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

/**
 * Contender "Beam's own way", as a Beam user would write it: {@code JdbcIO.readWithPartitions} on
 * the integer key with an Avro record per row (schema from the table's metadata) → {@code
 * ParquetIO.sink}.
 *
 * <p>Arguments: driver class, JDBC URL, table, output directory, partitions, then pipeline options.
 */
public final class JdbcIoParquet {
  private JdbcIoParquet() {}

  public static void main(String[] args) throws Exception {
    String driver = args[0];
    String url = args[1];
    String table = args[2];
    String out = args[3];
    int partitions = Integer.parseInt(args[4]);
    Schema schema = schemaOf(url, table);
    Mapper mapper = new Mapper(schema.toString());
    Pipeline p =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs(Arrays.copyOfRange(args, 5, args.length)).create());
    p.apply(
            "Read",
            JdbcIO.<GenericRecord, Long>readWithPartitions(TypeDescriptors.longs())
                .withDataSourceConfiguration(JdbcIO.DataSourceConfiguration.create(driver, url))
                .withTable(table)
                .withPartitionColumn("id")
                .withNumPartitions(partitions)
                .withRowMapper(mapper)
                .withCoder(AvroCoder.of(schema)))
        .apply(
            "Write",
            FileIO.<GenericRecord>write()
                .via(ParquetIO.sink(schema))
                .to(out)
                .withSuffix(".parquet"));
    p.run().waitUntilFinish();
  }

  /** An Avro schema from the JDBC metadata of {@code SELECT * FROM table}. */
  static Schema schemaOf(String url, String table) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
      ResultSetMetaData md = rs.getMetaData();
      SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(table).fields();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        Schema type =
            switch (md.getColumnType(i)) {
              case Types.BIGINT -> Schema.create(Schema.Type.LONG);
              case Types.INTEGER, Types.SMALLINT, Types.TINYINT -> Schema.create(Schema.Type.INT);
              case Types.BIT, Types.BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
              case Types.DOUBLE, Types.FLOAT -> Schema.create(Schema.Type.DOUBLE);
              case Types.REAL -> Schema.create(Schema.Type.FLOAT);
              case Types.NUMERIC, Types.DECIMAL ->
                  LogicalTypes.decimal(md.getPrecision(i), md.getScale(i))
                      .addToSchema(Schema.create(Schema.Type.BYTES));
              case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE ->
                  LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
              default -> Schema.create(Schema.Type.STRING);
            };
        fields =
            fields
                .name(md.getColumnLabel(i))
                .type(Schema.createUnion(Schema.create(Schema.Type.NULL), type))
                .withDefault(null);
      }
      return fields.endRecord();
    }
  }

  /** Row → GenericRecord by the schema's types, read by position. */
  static final class Mapper implements JdbcIO.RowMapper<GenericRecord>, Serializable {
    private static final long serialVersionUID = 1L;
    private final String schemaJson;
    private transient Schema schema;

    Mapper(String schemaJson) {
      this.schemaJson = schemaJson;
    }

    @Override
    public GenericRecord mapRow(ResultSet rs) throws Exception {
      if (schema == null) {
        schema = new Schema.Parser().parse(schemaJson);
      }
      GenericRecord r = new GenericData.Record(schema);
      for (Schema.Field f : schema.getFields()) {
        int i = f.pos() + 1;
        Schema t = f.schema().getTypes().get(1);
        Object v;
        if (t.getLogicalType() instanceof LogicalTypes.Decimal d) {
          BigDecimal b = rs.getBigDecimal(i);
          v =
              b == null
                  ? null
                  : ByteBuffer.wrap(
                      b.setScale(d.getScale(), RoundingMode.UNNECESSARY)
                          .unscaledValue()
                          .toByteArray());
        } else if (t.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
          Timestamp ts = rs.getTimestamp(i);
          v =
              ts == null
                  ? null
                  : Math.floorDiv(ts.getTime(), 1000L) * 1_000_000L + ts.getNanos() / 1000;
        } else {
          v =
              switch (t.getType()) {
                case LONG -> rs.getLong(i);
                case INT -> rs.getInt(i);
                case BOOLEAN -> rs.getBoolean(i);
                case DOUBLE -> rs.getDouble(i);
                case FLOAT -> rs.getFloat(i);
                default -> rs.getString(i);
              };
          if (rs.wasNull()) {
            v = null;
          }
        }
        r.put(f.pos(), v);
      }
      return r;
    }
  }
}
