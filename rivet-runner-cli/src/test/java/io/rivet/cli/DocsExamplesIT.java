package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.rivet.core.RivetException;
import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.ConfigSchema;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.config.SourceType;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code yaml} block of the README and of {@code docs/} is a config a user may paste: each
 * must load, and each whose source is a PostgreSQL reached through {@code url_env: DATABASE_URL}
 * (the form the docs teach) runs against an embedded PostgreSQL holding the tables it names, every
 * row once in the files it promises.
 */
class DocsExamplesIT {
  private static final Pattern YAML_BLOCK =
      Pattern.compile("(?m)^([ \\t]*)```yaml[ \\t]*\\n(.*?)^[ \\t]*```", Pattern.DOTALL);
  private static final int ROWS = 2_345;

  @TempDir Path dir;

  record Example(Path file, int line, String yaml) {
    @Override
    public String toString() {
      return file.getFileName() + ":" + line;
    }
  }

  static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(p.resolve("docs")) || !Files.exists(p.resolve("README.md"))) {
      p = p.getParent();
    }
    return p;
  }

  static List<Example> examples() throws IOException {
    Path root = projectRoot();
    List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    Path examplesReadme = root.resolve("examples/README.md");
    if (Files.exists(examplesReadme)) {
      files.add(examplesReadme);
    }
    List<Example> out = new ArrayList<>();
    for (Path f : files) {
      String text = Files.readString(f);
      Matcher m = YAML_BLOCK.matcher(text);
      while (m.find()) {
        String indent = m.group(1);
        StringBuilder yaml = new StringBuilder();
        for (String line : m.group(2).split("\n", -1)) {
          yaml.append(line.startsWith(indent) ? line.substring(indent.length()) : line.strip())
              .append('\n');
        }
        int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
        out.add(new Example(f, line, yaml.toString()));
      }
    }
    return out;
  }

  private static final JsonSchema SCHEMA =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(ConfigSchema.generate());
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void theDocsHoldTheExamplesThisTestReads() throws IOException {
    // The README's tour and getting-started's own-database config, at least: a regex that matched
    // nothing would make every other test here vacuous.
    assertThat(examples())
        .extracting(e -> e.file().getFileName().toString())
        .contains("README.md", "getting-started.md");
  }

  @Test
  void everyYamlExampleLoadsAndThePostgresOnesRun() throws Exception {
    List<Example> examples = examples();
    int ran = 0;
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      String databaseUrl =
          pg.jdbcUrl()
              .replaceFirst("^jdbc:postgresql://([^/]+)/([^?]*).*$", "postgresql://postgres@$1/$2");
      // The state store of an example with state: is a schema of the same server.
      Map<String, String> env = Map.of("DATABASE_URL", databaseUrl, "RIVET_STATE_URL", databaseUrl);
      for (int i = 0; i < examples.size(); i++) {
        Example ex = examples.get(i);
        Path exDir = Files.createDirectories(dir.resolve("example" + i));
        Path yaml = exDir.resolve("rivet.yaml");
        Files.writeString(yaml, ex.yaml());
        RivetConfig config;
        try {
          config = new ConfigLoader(env, Map.of()).load(yaml);
        } catch (RivetException e) {
          throw new AssertionError("the example at " + ex + " does not load: " + e.getMessage(), e);
        }
        assertThat(config.exports()).as(ex.toString()).isNotEmpty();
        // And the JSON Schema of `rivet schema config` agrees (checked by an independent
        // validator).
        assertThat(SCHEMA.validate(YAML.readTree(ex.yaml())))
            .as("%s against the JSON Schema", ex)
            .isEmpty();
        if (config.source().type() != SourceType.POSTGRES
            || !ex.yaml().contains("url_env: DATABASE_URL")) {
          continue;
        }
        for (ExportConfig e : config.exports()) {
          assertThat(e.table()).as(ex + ": a runnable example names its table").isNotNull();
          createTable(pg, e.table());
        }
        RivetProcess run =
            RivetProcess.run(exDir.resolve("run.log"), env, "run", "-c", yaml.toString());
        assertThat(run.exitCode()).as(ex + ": " + run.output()).isZero();
        for (ExportConfig e : config.exports()) {
          Path base = exDir.resolve(e.destination().path().replaceAll("\\{.*$", "")).normalize();
          boolean csv = e.format().name().equals("CSV");
          String reader =
              csv
                  ? "read_csv('" + base + "/**/*.csv', header = true)"
                  : "read_parquet('" + base + "/**/*.parquet')";
          assertThat(DuckDb.rows("SELECT count(*), count(DISTINCT id) FROM " + reader).get(0))
              .as(ex + ": " + e.name())
              .containsExactly((long) ROWS, (long) ROWS);
        }
        ran++;
      }
    }
    assertThat(ran).as("examples run against PostgreSQL").isGreaterThanOrEqualTo(2);
  }

  private static void createTable(TestingPostgresServer pg, ExportConfig.TableRef t)
      throws Exception {
    String schema = t.schema() == null ? "public" : t.schema();
    String name = "\"" + schema + "\".\"" + t.name() + "\"";
    pg.execute(
        "CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"",
        "DROP TABLE IF EXISTS " + name,
        "CREATE TABLE "
            + name
            + " (id bigint PRIMARY KEY, customer text, amount numeric(12,2),"
            + " created_at timestamptz, updated_at timestamptz)",
        "INSERT INTO "
            + name
            + " SELECT g, 'c' || g % 50, g * 1.25, timestamptz '2024-01-01' + g * interval '1 minute',"
            + " timestamptz '2024-06-01' + g * interval '1 second' FROM generate_series(1, "
            + ROWS
            + ") g");
  }
}
