package io.rivet.beam;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.plan.Planner;
import io.rivet.core.schema.ColumnMapping;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/**
 * {@link RivetIO#read()} over a skewed table: the chunk holding most of the rows is planned as
 * several pieces (the engine's estimates, as for exports), each its own element for a worker; the
 * rows arrive once each.
 */
class RivetIOReadIT {
  private static final Map<Long, Integer> SEEN = new ConcurrentHashMap<>();

  @Test
  void aHotChunkIsReadAsSeveralPiecesAndEveryRowArrivesOnce() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
          "INSERT INTO t SELECT g * 400, md5(g::text) FROM generate_series(0, 9999) g",
          "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1300001, 1380000) g"
              + " WHERE g % 400 <> 0",
          "ANALYZE t");
      long rows = 10_000 + 80_000 - 200;
      String yaml =
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: t, table: t, mode: chunked, chunk_column: id, chunk_size: 1000000,
               format: parquet, destination: {type: local, path: ./unused}}
          """
              .formatted(pg.jdbcUrl());
      RivetConfig config =
          ConfigLoader.fromEnvironment(Map.of())
              .parse(yaml, Path.of("rivet.yaml").toAbsolutePath());
      ExportConfig export = config.exports().get(0);
      List<ColumnMapping> columns = new Planner(config, null).columns(export);

      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      PCollection<KV<Integer, Long>> piecesPerChunk =
          p.apply(Create.of("plan").withCoder(StringUtf8Coder.of()))
              .apply(ParDo.of(new PlanReadFn(config, export, columns)))
              .apply(
                  MapElements.into(TypeDescriptors.integers())
                      .via((ReadChunk c) -> c.chunk().index()))
              .apply(Count.perElement());
      PAssert.that(piecesPerChunk)
          .satisfies(
              counts -> {
                Map<Integer, Long> m = new HashMap<>();
                counts.forEach(kv -> m.put(kv.getKey(), kv.getValue()));
                assertThat(m).as("four chunks of 1M keys").hasSize(4);
                // Keys [1M, 2M) hold the cluster: about 82,500 of the 89,800 rows.
                assertThat(m.get(1)).as("the hot chunk's pieces").isGreaterThanOrEqualTo(2);
                assertThat(m.get(0)).isEqualTo(1);
                assertThat(m.get(2)).isEqualTo(1);
                return null;
              });
      // Each row's id counted where it arrives (the DirectRunner runs in this JVM); aggregating
      // 90k elements in one key is quadratic in the DirectRunner's in-memory state.
      SEEN.clear();
      p.apply("Read", RivetIO.read().withConfigYaml(yaml))
          .apply(
              "Seen",
              MapElements.into(TypeDescriptors.longs())
                  .via(
                      (Row r) -> {
                        SEEN.merge(r.getInt64("id"), 1, Integer::sum);
                        return r.getInt64("id");
                      }));
      assertThat(p.run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);
      assertThat(SEEN).as("every row").hasSize((int) rows);
      assertThat(SEEN.values()).as("once").allMatch(n -> n == 1);
    }
  }
}
