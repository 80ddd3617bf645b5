package io.rivet.cli;

import io.rivet.core.config.RivetConfig;
import io.rivet.core.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code state show}: the incremental cursors. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    footer = {"", "Example: rivet state show -c rivet.yaml --json"},
    description = "Incremental cursors ([] when there are none).")
final class StateShowCommand implements Callable<Integer> {
  @Mixin StateOptions o;

  @Override
  public Integer call() {
    RivetConfig cfg = o.load();
    try (StateStore s = o.open(cfg)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      s.cursors()
          .forEach(
              (export, v) ->
                  rows.add(
                      StateOptions.row(
                          "export_name",
                          export,
                          "last_cursor_value",
                          v[0],
                          "last_run_id",
                          v[1],
                          "updated_at",
                          v[2])));
      if (o.json) {
        StateOptions.print(rows);
      } else if (rows.isEmpty()) {
        System.out.println("no incremental cursors yet");
      } else {
        rows.forEach(
            r ->
                System.out.printf(
                    "%-24s %-32s (run %s, %s)%n",
                    r.get("export_name"),
                    r.get("last_cursor_value"),
                    r.get("last_run_id"),
                    r.get("updated_at")));
      }
      return 0;
    }
  }
}
