package io.rivet.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private final JavaClasses core =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.rivet.core");

  @Test
  void coreHasNoBeam() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.beam..").check(core);
  }

  @Test
  void dialectsDoNotImportEachOther() {
    for (String d : new String[] {"postgres", "mysql", "sqlserver"}) {
      noClasses()
          .that()
          .resideInAPackage("io.rivet.core.dialect." + d + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(others(d))
          .allowEmptyShould(true)
          .check(core);
    }
  }

  /**
   * An engine's classes are its own: the rest of rivet reaches them through {@code Dialect} and the
   * registry.
   */
  @Test
  void nothingOutsideAnEngineNamesItsClasses() {
    for (String d : new String[] {"postgres", "mysql", "sqlserver"}) {
      noClasses()
          .that()
          .resideOutsideOfPackage("io.rivet.core.dialect." + d + "..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.rivet.core.dialect." + d + "..")
          .check(core);
    }
  }

  private static String[] others(String d) {
    return Stream.of("postgres", "mysql", "sqlserver")
        .filter(x -> !x.equals(d))
        .map(x -> "io.rivet.core.dialect." + x + "..")
        .toArray(String[]::new);
  }
}
