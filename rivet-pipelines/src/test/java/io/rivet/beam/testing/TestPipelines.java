package io.rivet.beam.testing;

import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * Beam's {@link TestPipeline} from JUnit 5 tests: it is a JUnit 4 rule (it checks, when run, that
 * it was applied as one, and that every PAssert ran), so it is applied here around the building and
 * running of the pipeline.
 */
public final class TestPipelines {
  private TestPipelines() {}

  /** What builds a pipeline (and may fail as a test does). */
  @FunctionalInterface
  public interface Build {
    void into(TestPipeline p) throws Exception;
  }

  /** Builds a TestPipeline with {@code build} and runs it to its end, through its JUnit 4 rule. */
  public static void run(Class<?> test, Build build) throws Throwable {
    TestPipeline p = TestPipeline.create();
    p.apply(
            new Statement() {
              @Override
              public void evaluate() throws Throwable {
                build.into(p);
                p.run().waitUntilFinish();
              }
            },
            Description.createTestDescription(test, "pipeline"))
        .evaluate();
  }
}
