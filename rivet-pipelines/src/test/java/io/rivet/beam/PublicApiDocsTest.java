package io.rivet.beam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of {@code rivet-pipelines} is small and documented: every public type is in the
 * API table of docs/runners.md and has Javadoc, and every Java block of the docs is a piece of a
 * job in {@code examples/} (which the build compiles and ExamplesIT / FlinkClusterIT run).
 */
class PublicApiDocsTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path ROOT = MODULE.getParent();

  /** Public types, as {@code Outer} or {@code Outer.Inner}, found in the compiled classes. */
  private static List<String> publicTypes() throws Exception {
    Path classes = MODULE.resolve("target/classes/io/rivet/beam");
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(classes)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        String simple = f.getFileName().toString().replace(".class", "");
        Class<?> c = Class.forName("io.rivet.beam." + simple);
        if (c.isAnonymousClass() || c.isSynthetic() || c.isLocalClass()) {
          continue;
        }
        boolean visible = true;
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
          visible &= Modifier.isPublic(k.getModifiers());
        }
        if (visible) {
          out.add(simple.replace('$', '.'));
        }
      }
    }
    return out;
  }

  @Test
  void everyPublicTypeIsInTheDocsApiTable() throws Exception {
    String runners = Files.readString(ROOT.resolve("docs/runners.md"));
    String table = runners.substring(runners.indexOf("### Public API of `rivet-pipelines`"));
    List<String> types = publicTypes();
    assertThat(types).contains("RivetIO", "RivetIO.Export", "RivetIO.Read", "ExportResult");
    for (String t : types) {
      assertThat(table).as("docs/runners.md API table lists %s", t).contains("| `" + t + "` |");
    }
  }

  @Test
  void everyPublicTypeHasJavadoc() throws Exception {
    for (String t : publicTypes()) {
      String simple = t.substring(t.lastIndexOf('.') + 1);
      String outer = t.contains(".") ? t.substring(0, t.indexOf('.')) : t;
      String src =
          Files.readString(MODULE.resolve("src/main/java/io/rivet/beam/" + outer + ".java"));
      Matcher m =
          Pattern.compile(
                  "\\*/\\s*(@[\\w.]+(\\([^)]*\\))?\\s*)*public\\s+(static\\s+)?(final\\s+)?"
                      + "(class|record|interface|enum)\\s+"
                      + simple
                      + "\\b")
              .matcher(src);
      assertThat(m.find()).as("%s has Javadoc", t).isTrue();
    }
  }

  @Test
  void everyJavaBlockOfTheDocsIsPartOfAnExampleJob() throws IOException {
    List<String> sources = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT.resolve("examples/src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        sources.add(normalized(Files.readString(f)));
      }
    }
    List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
    }
    Pattern block = Pattern.compile("(?s)```java\\n(.*?)```");
    int blocks = 0;
    for (Path d : docs) {
      Matcher m = block.matcher(Files.readString(d));
      while (m.find()) {
        blocks++;
        String code = normalized(m.group(1));
        assertThat(sources)
            .as("%s: this Java block is in a job of examples/:%n%s", d.getFileName(), m.group(1))
            .anyMatch(s -> s.contains(code));
      }
    }
    assertThat(blocks).isPositive();
  }

  private static String normalized(String code) {
    return code.replaceAll("\\s+", " ").trim();
  }
}
