package io.rivet.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The generated JSON Schema of rivet.yaml: at every level it names exactly the keys the loader
 * accepts (so the two cannot drift apart), and an independent validator (networknt) accepts a valid
 * config and rejects a misspelt key and a value no enum allows.
 */
class ConfigSchemaTest {
  private static final JsonNode SCHEMA = ConfigSchema.generate();

  private static JsonNode def(String name) {
    return SCHEMA.get("$defs").get(name);
  }

  private static Set<String> keys(JsonNode object) {
    Set<String> out = new HashSet<>();
    Iterator<String> it = object.get("properties").fieldNames();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void everyLevelNamesExactlyTheKeysTheLoaderAccepts() {
    assertThat(keys(SCHEMA)).isEqualTo(ConfigLoader.TOP_KEYS);
    assertThat(keys(def("Source"))).isEqualTo(SourceParser.KEYS);
    assertThat(keys(def("Tls"))).isEqualTo(SourceParser.TLS_KEYS);
    assertThat(keys(def("Tuning"))).isEqualTo(TuningOverlay.KEYS);
    assertThat(keys(def("State"))).isEqualTo(StateParser.KEYS);
    assertThat(keys(def("Export"))).isEqualTo(ExportParser.KEYS);
    assertThat(keys(def("Quality"))).isEqualTo(ExportParser.QUALITY_KEYS);
    assertThat(keys(def("Destination"))).isEqualTo(DestinationParser.DEST_KEYS);
    assertThat(keys(def("Parquet"))).isEqualTo(EncodingParser.PARQUET_KEYS);
    assertThat(keys(def("MetaColumnsShape"))).isEqualTo(EncodingParser.META_KEYS);
    assertThat(keys(def("Incremental"))).isEqualTo(ModeParser.INCREMENTAL_KEYS);
    assertThat(SCHEMA.get("additionalProperties").asBoolean(true)).isFalse();
    assertThat(SCHEMA.get("required").toString()).contains("source", "exports");
    assertThat(def("Export").get("properties").get("mode").get("enum").toString())
        .contains("\"full\"", "\"chunked\"", "\"time_window\"", "\"time-window\"");
  }

  @Test
  void anIndependentValidatorAcceptsAValidConfigAndRejectsMistakes() throws Exception {
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(SCHEMA);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    String valid =
        """
        source: {type: postgres, url_env: DATABASE_URL, tuning: {profile: safe}}
        exports:
          - name: orders
            table: public.orders
            mode: chunked
            chunk_column: id
            chunk_size: 100000
            parallel: 2
            format: parquet
            compression: zstd
            meta_columns: {row_hash: true}
            quality: {row_count_min: 1}
            destination: {type: s3, bucket: b, prefix: orders/, region: eu-west-1}
        """;
    assertThat(schema.validate(yaml.readTree(valid))).isEmpty();
    Set<ValidationMessage> typo =
        schema.validate(yaml.readTree(valid.replace("chunk_size:", "chunk_sise:")));
    assertThat(typo.toString()).contains("chunk_sise");
    Set<ValidationMessage> badMode =
        schema.validate(yaml.readTree(valid.replace("mode: chunked", "mode: chunky")));
    assertThat(badMode).isNotEmpty();
    Set<ValidationMessage> noFormat =
        schema.validate(yaml.readTree(valid.replace("format: parquet", "")));
    assertThat(noFormat.toString()).contains("format");
  }
}
