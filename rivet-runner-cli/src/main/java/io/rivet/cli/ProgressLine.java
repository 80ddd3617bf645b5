package io.rivet.cli;

import io.rivet.core.extract.Progress;
import java.io.Console;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A live "rows read" line on a terminal; nothing when output is redirected. */
final class ProgressLine implements AutoCloseable {
  private final ProgressBar bar;
  private final Thread ticker;

  private ProgressLine(ProgressBar bar) {
    this.bar = bar;
    if (bar == null) {
      this.ticker = null;
      return;
    }
    long base = Progress.rows();
    this.ticker =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                bar.stepTo(Progress.rows() - base);
                try {
                  Thread.sleep(250);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "rivet-progress");
    ticker.setDaemon(true);
    ticker.start();
  }

  /**
   * A progress line on the terminal; none when the output is not one (a pipe, a file, a CI log).
   */
  @SuppressWarnings(
      "SystemConsoleNull") // JDK 17-21: null means no terminal; JDK 22+: isTerminal() says
  static ProgressLine startIfTerminal() {
    Console console = System.console();
    if (console == null || !isTerminal(console)) {
      return none();
    }
    return new ProgressLine(
        new ProgressBarBuilder()
            .setTaskName("rows")
            .setInitialMax(-1)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" rows", 1)
            .showSpeed()
            .build());
  }

  static ProgressLine none() {
    return new ProgressLine(null);
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.interrupt();
      bar.close();
    }
  }

  /**
   * {@code Console.isTerminal()} where the JDK has it (22+, whose console is never null); true
   * before.
   */
  private static boolean isTerminal(Console console) {
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException olderJdk) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}
