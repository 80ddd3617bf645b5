package io.rivet.cli;

import io.rivet.core.extract.Progress;
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
    this.ticker = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        bar.stepTo(Progress.rows() - base);
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "rivet-progress");
    ticker.setDaemon(true);
    ticker.start();
  }

  static ProgressLine startIfTerminal() {
    if (System.console() == null) {
      return none();
    }
    return new ProgressLine(new ProgressBarBuilder().setTaskName("rows").setInitialMax(-1)
        .setStyle(ProgressBarStyle.ASCII).setUnit(" rows", 1).showSpeed().build());
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
}
