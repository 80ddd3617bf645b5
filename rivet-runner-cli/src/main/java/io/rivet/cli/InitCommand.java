package io.rivet.cli;

import io.rivet.core.ErrorCode;
import io.rivet.core.Json;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.ExportConfig.TableRef;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.dialect.ConnectionSpec;
import io.rivet.core.dialect.Dialect;
import io.rivet.core.dialect.Dialects;
import io.rivet.core.discover.Discovery;
import io.rivet.core.discover.Scaffold;
import io.rivet.core.discover.TableProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rivet init}: a rivet.yaml scaffold from a database's catalog. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Write a rivet.yaml for tables of a database, from its catalog only (no table is read): per",
      "table the strategy its size and keys suggest (full; chunked on an integer primary key or by",
      "another unique key; incremental on a timestamp), chunk sizes and parallelism from the",
      "statistics, and columns: overrides where a type needs one, marked # REVIEW. The source is",
      "written by reference (url_env / url_file), never with its password.",
      "",
      "Example: rivet init --source-env DATABASE_URL --schema public --exclude 'tmp_*' -o rivet.yaml",
      "Example: rivet init --source-env DATABASE_URL --discover   (the catalog's findings, as JSON)"
    })
final class InitCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  SourceRef source;

  static final class SourceRef {
    @Option(
        names = "--source",
        description = "the database URL (the scaffold reads it from DATABASE_URL)")
    String url;

    @Option(names = "--source-env", description = "an environment variable holding the URL")
    String env;

    @Option(names = "--source-file", description = "a file holding the URL")
    Path file;
  }

  @Option(
      names = "--table",
      paramLabel = "[SCHEMA.]TABLE",
      description = "a table to scaffold (repeatable); default: every table of --schema")
  List<String> tables = new ArrayList<>();

  @Option(
      names = "--schema",
      description = "the schema (MySQL: the database) to read; default: the engine's")
  String schema;

  @Option(
      names = "--include",
      paramLabel = "GLOB",
      description = "only tables matching (repeatable)")
  List<String> include = new ArrayList<>();

  @Option(
      names = "--exclude",
      paramLabel = "GLOB",
      description = "not tables matching (repeatable; wins over --include)")
  List<String> exclude = new ArrayList<>();

  @Option(
      names = "--mode",
      description = "full, incremental or chunked for every table where the table allows it")
  String mode;

  @Option(
      names = {"-o", "--output"},
      description = "write to this file (refused if it exists) instead of stdout")
  Path output;

  @Option(
      names = "--discover",
      description = "print the catalog's findings per table as JSON instead of a config")
  boolean discover;

  @Option(names = "--s3-bucket", description = "write the parts to this S3 bucket")
  String s3Bucket;

  @Option(names = "--s3-region", description = "the S3 bucket's region")
  String s3Region;

  @Option(names = "--gcs-bucket", description = "write the parts to this GCS bucket")
  String gcsBucket;

  @Option(names = "--gcs-credentials-file", description = "a service account key for GCS")
  String gcsCredentials;

  @Override
  public Integer call() throws Exception {
    if (discover && (s3Bucket != null || gcsBucket != null)) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "--discover prints the catalog's findings; --s3-bucket / --gcs-bucket only shape a config."
              + " Drop one of them");
    }
    if (mode != null && !List.of("full", "incremental", "chunked").contains(mode)) {
      throw new RivetException(
          ErrorCode.NOT_SUPPORTED_YET,
          "--mode "
              + mode
              + ": init scaffolds full, incremental or chunked; "
              + mode
              + " is not supported yet here (write it by hand, see docs/config-reference.md)");
    }
    if (output != null && Files.exists(output)) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          output + " exists; init never overwrites a config. Choose another -o or remove it");
    }
    List<String> sourceLines = new ArrayList<>();
    Map<String, String> env = new HashMap<>(System.getenv());
    String url;
    if (source.url != null) {
      url = source.url;
      env.put("DATABASE_URL", url);
      sourceLines.add("url_env: DATABASE_URL");
    } else if (source.env != null) {
      url = System.getenv(source.env);
      if (url == null) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            "--source-env " + source.env + ": the variable is not set; export it first");
      }
      sourceLines.add("url_env: " + source.env);
    } else {
      url = Files.readString(source.file).strip();
      sourceLines.add("url_file: " + source.file.toAbsolutePath());
    }
    Dialect d = dialectOf(url);
    sourceLines.add(0, "type: " + d.sourceType().name().toLowerCase(Locale.ROOT));
    RivetConfig probe = probeConfig(sourceLines, env);
    ConnectionSpec spec = ConnectionSpec.from(probe.source());
    List<TableProfile> profiles = new ArrayList<>();
    try (Connection c = spec.open()) {
      c.setAutoCommit(true);
      Discovery discovery = new Discovery(c, d);
      List<TableRef> refs = new ArrayList<>();
      if (tables.isEmpty()) {
        refs.addAll(discovery.tables(schema, include, exclude));
      } else {
        for (String t : tables) {
          int dot = t.indexOf('.');
          refs.add(
              dot < 0
                  ? new TableRef(schema, t)
                  : new TableRef(t.substring(0, dot), t.substring(dot + 1)));
        }
      }
      if (refs.isEmpty()) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            "no table found"
                + (schema == null ? " in the default schema" : " in schema " + schema)
                + (include.isEmpty() && exclude.isEmpty()
                    ? ""
                    : " matching the --include/--exclude globs")
                + "; name one with --table or another --schema");
      }
      for (TableRef t : refs) {
        profiles.add(discovery.profile(t, mode));
      }
    }
    String text;
    if (discover) {
      text = Json.DOCUMENTS.writeValueAsString(Map.of("tables", profiles));
    } else {
      String header =
          "Written by rivet init on "
              + LocalDate.now(ZoneOffset.UTC)
              + " from the catalog of "
              + Redactor.redact(spec.jdbcUrl())
              + ".\nCheck the lines marked REVIEW, then: rivet run -c <this file>";
      text = Scaffold.yaml(header, sourceLines, profiles, destination());
    }
    if (source.url != null && !discover) {
      System.err.println(
          "the config reads the database URL from DATABASE_URL: export DATABASE_URL=... before 'rivet run'");
    }
    if (output != null) {
      Files.writeString(output, text);
      System.err.println(
          "wrote "
              + output
              + ": "
              + profiles.size()
              + " export(s)"
              + (discover ? " (discovery)" : ""));
    } else {
      System.out.print(text.endsWith("\n") ? text : text + "\n");
    }
    return 0;
  }

  private String destination() {
    if (s3Bucket != null) {
      return "{type: s3, bucket: "
          + s3Bucket
          + ", prefix: \"{export}/\""
          + (s3Region != null ? ", region: " + s3Region : "")
          + "}";
    }
    if (gcsBucket != null) {
      return "{type: gcs, bucket: "
          + gcsBucket
          + ", prefix: \"{export}/\""
          + (gcsCredentials != null ? ", credentials_file: \"" + gcsCredentials + "\"" : "")
          + "}";
    }
    return "{type: local, path: \"./out/{export}\"}";
  }

  /** The engine of a URL in the original's form or a JDBC URL. */
  private static Dialect dialectOf(String url) {
    int scheme = url.indexOf("://");
    if (scheme > 0 && !url.startsWith("jdbc:")) {
      return Dialects.forScheme(url.substring(0, scheme).toLowerCase(Locale.ROOT))
          .orElseThrow(
              () ->
                  new RivetException(
                      ErrorCode.CONFIG_INVALID,
                      "the source URL "
                          + Redactor.redact(url)
                          + " names no engine rivet reads; use postgresql://, mysql:// or sqlserver://"));
    }
    return Dialects.forJdbcUrl(url);
  }

  /** The source block loaded as rivet run would load it (with one placeholder export). */
  private static RivetConfig probeConfig(List<String> sourceLines, Map<String, String> env)
      throws Exception {
    Path tmp = Files.createTempFile("rivet-init", ".yaml");
    try {
      StringBuilder y = new StringBuilder("source:\n");
      sourceLines.forEach(l -> y.append("  ").append(l).append('\n'));
      y.append(
          "exports:\n  - {name: probe, query: \"SELECT 1\", format: parquet,"
              + " destination: {type: local, path: ./probe}}\n");
      Files.writeString(tmp, y);
      return new ConfigLoader(env, Map.of()).load(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
