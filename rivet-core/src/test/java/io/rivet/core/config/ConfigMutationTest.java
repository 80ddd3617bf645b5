package io.rivet.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.dialect.ConnectionSpec;
import io.rivet.core.plan.PlanHash;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Mutates valid configs — keys renamed, dropped or added, values of another type or out of range,
 * structure changed, the text itself cut or spliced — and checks that every outcome is either a
 * valid config (whose connection and plan hash can be derived) or a config error that names where:
 * a YAML path per problem, or the file's line. No other exception may escape: that is what reaches
 * a user as a stack trace.
 */
class ConfigMutationTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Path FILE =
      Path.of(System.getProperty("java.io.tmpdir"), "rivet-prop", "rivet.yaml");
  private static final Map<String, String> ENV =
      Map.of("DATABASE_URL", "postgresql://u:p@localhost:5432/app", "PGPASS", "secret");
  private static final Set<ErrorCode> CONFIG_ERRORS =
      Set.of(ErrorCode.CONFIG_INVALID, ErrorCode.CONFIG_UNREADABLE);

  private static final List<String> BASES =
      List.of(
          """
      source: {type: postgres, url_env: DATABASE_URL, tuning: {profile: safe, batch_size: 5000}}
      exports:
        - name: orders
          table: public.orders
          mode: chunked
          chunk_size: 100000
          parallel: 2
          chunk_checkpoint: true
          format: parquet
          compression: zstd
          compression_level: 3
          max_file_size: 256MB
          meta_columns: {exported_at: true, row_hash: false}
          quality: {row_count_min: 1, null_ratio_max: {email: 0.1}, unique_columns: [id]}
          destination: {type: local, path: "./out/{export}/{date}"}
      """,
          """
      source: {type: mysql, host: localhost, port: 3306, user: reader, password_env: PGPASS, database: shop}
      exports:
        - name: events
          query: "SELECT id, ts, payload FROM events"
          mode: incremental
          cursor_column: ts
          format: csv
          skip_empty: true
          tuning: {max_retries: 5, retry_backoff_ms: 100}
          destination: {type: s3, bucket: lake, prefix: "raw/{export}/", region: us-east-1}
        - name: days
          table: audit
          mode: chunked
          chunk_column: created_at
          chunk_by_days: 7
          format: parquet
          columns: {amount: "decimal(18,2)"}
          destination: {type: gcs, bucket: lake, prefix: "audit/", allow_anonymous: true, endpoint: "http://127.0.0.1:4443"}
      """,
          """
      source: {type: mssql, url: "sqlserver://sa:pw@127.0.0.1:1433;databaseName=app"}
      exports:
        - name: win
          table: dbo.sales
          mode: time_window
          time_column: sold_at
          days_window: 3
          format: parquet
          on_schema_drift: fail
          destination: {type: azure, bucket: c, account_name: devstoreaccount1, allow_anonymous: true,
                        endpoint: "http://127.0.0.1:10000/devstoreaccount1"}
      """);

  private static final List<JsonNode> ODD_VALUES;

  static {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ODD_VALUES =
        List.of(
            f.nullNode(),
            f.textNode(""),
            f.textNode(" "),
            f.textNode("\u0000"),
            f.textNode("../../etc"),
            f.textNode("{export}"),
            f.textNode("${NOT_SET}"),
            f.textNode("x".repeat(5000)),
            f.textNode("-1"),
            f.textNode("1e999"),
            f.textNode("NaN"),
            f.numberNode(0),
            f.numberNode(-1),
            f.numberNode(Long.MAX_VALUE),
            f.numberNode(new BigInteger("99999999999999999999")),
            f.numberNode(1.5),
            f.numberNode(Double.MAX_VALUE),
            f.booleanNode(true),
            f.arrayNode(),
            f.arrayNode().add("a").add(1),
            f.objectNode(),
            f.objectNode().put("k", "v"),
            f.textNode("postgresql://u:p@ss@h:notaport/db"),
            f.textNode("mysql://"),
            f.textNode("jdbc:postgresql://[::1"),
            f.textNode("s3://"),
            f.textNode("/absolute/path"),
            f.textNode("decimal(99,100)"),
            f.textNode("parquet"),
            f.textNode("chunked"),
            f.textNode("full"));
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  @Property(tries = 1500)
  void everyMutatedConfigIsValidOrAConfigErrorWithItsPath(@ForAll("seeds") long seed)
      throws Exception {
    Random r = new Random(seed);
    String base = BASES.get(r.nextInt(BASES.size()));
    String text;
    if (r.nextInt(5) == 0) {
      text = mutateText(base, r);
    } else {
      JsonNode tree = YAML.readTree(base);
      int n = 1 + r.nextInt(3);
      for (int i = 0; i < n; i++) {
        mutateTree(tree, r);
      }
      text = YAML.writeValueAsString(tree);
    }
    check(text);
  }

  private static void check(String text) {
    RivetConfig config;
    try {
      config = new ConfigLoader(ENV, Map.of()).parse(text, FILE);
    } catch (ConfigProblems.ConfigException e) {
      assertThat(e.problems())
          .as(text)
          .isNotEmpty()
          .allSatisfy(p -> assertThat(p).as(text).matches("(?s)(line \\d+|(\\S|\"[^\"]*\")+): .+"));
      return;
    } catch (RivetException e) {
      assertThat(e.code()).as(e.getMessage() + "\n" + text).isIn(CONFIG_ERRORS);
      assertThat(e.getMessage()).as(text).startsWith(FILE.toString());
      return;
    }
    // A valid config: what run derives from it next must not fail with anything but a
    // RivetException either.
    try {
      if (config.source() != null && config.source().url() != null) {
        ConnectionSpec.from(config.source());
      }
      for (ExportConfig e : config.exports()) {
        PlanHash.of(e);
        e.unsupported(config);
      }
    } catch (RivetException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  private static String mutateText(String base, Random r) {
    int at = r.nextInt(base.length());
    return switch (r.nextInt(5)) {
      case 0 -> base.substring(0, at);
      case 1 -> base.substring(0, at) + "\t" + base.substring(at);
      case 2 ->
          base.substring(0, at)
              + List.of("{", "}", "[", ":", "- ", "&a ", "*a", "\"", "'", "\n  ", "%")
                  .get(r.nextInt(11))
              + base.substring(at);
      case 3 -> base + base.substring(at);
      default ->
          base.substring(0, at) + base.substring(Math.min(base.length(), at + 1 + r.nextInt(20)));
    };
  }

  /** Applies one structural mutation at a random place of the tree. */
  private static void mutateTree(JsonNode root, Random r) {
    List<ObjectNode> objects = new ArrayList<>();
    collect(root, objects);
    ObjectNode o = objects.get(r.nextInt(objects.size()));
    List<String> keys = new ArrayList<>();
    o.fieldNames().forEachRemaining(keys::add);
    if (keys.isEmpty()) {
      o.put("unknown_key", "x");
      return;
    }
    String key = keys.get(r.nextInt(keys.size()));
    switch (r.nextInt(7)) {
      case 0 -> o.remove(key);
      case 1 -> {
        JsonNode v = o.remove(key);
        o.set(typo(key, r), v);
      }
      case 2, 3 -> o.set(key, ODD_VALUES.get(r.nextInt(ODD_VALUES.size())).deepCopy());
      case 4 -> o.set(key, JsonNodeFactory.instance.arrayNode().add(o.get(key)));
      case 5 -> {
        ArrayNode exports = root.get("exports") instanceof ArrayNode a ? a : null;
        if (exports != null && !exports.isEmpty()) {
          exports.add(exports.get(r.nextInt(exports.size())).deepCopy());
        }
      }
      default -> o.set(key + "_extra", ODD_VALUES.get(r.nextInt(ODD_VALUES.size())).deepCopy());
    }
  }

  private static String typo(String key, Random r) {
    int i = r.nextInt(key.length());
    return key.substring(0, i) + (char) ('a' + r.nextInt(26)) + key.substring(i + 1);
  }

  private static void collect(JsonNode n, List<ObjectNode> out) {
    if (n instanceof ObjectNode o) {
      out.add(o);
    }
    n.elements().forEachRemaining(c -> collect(c, out));
  }
}
