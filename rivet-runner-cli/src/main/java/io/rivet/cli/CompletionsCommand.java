package io.rivet.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rivet completions bash|zsh|fish}: a shell completion script for every command and option.
 * bash and zsh get picocli's generated script (zsh through its bash-completion layer); fish, which
 * picocli does not generate for, gets {@code complete} lines built from the same command model.
 */
@Command(
    name = "completions",
    mixinStandardHelpOptions = true,
    description = {
      "Print a shell completion script for rivet.",
      "",
      "Example (bash): source <(rivet completions bash)",
      "Example (zsh):  source <(rivet completions zsh)",
      "Example (fish): rivet completions fish > ~/.config/fish/completions/rivet.fish"
    })
final class CompletionsCommand implements Callable<Integer> {
  enum Shell {
    bash,
    zsh,
    fish
  }

  @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish")
  Shell shell;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    System.out.print(script(root, shell));
    return 0;
  }

  static String script(CommandLine root, Shell shell) {
    return switch (shell) {
      case bash -> AutoComplete.bash("rivet", root);
      case zsh ->
          "autoload -U +X compinit && compinit\n"
              + "autoload -U +X bashcompinit && bashcompinit\n"
              + AutoComplete.bash("rivet", root);
      case fish -> fish(root);
    };
  }

  /** fish {@code complete} lines: subcommands where they may come, options once one is given. */
  static String fish(CommandLine root) {
    StringBuilder out = new StringBuilder("# rivet completions for fish\ncomplete -c rivet -f\n");
    fishCommand(root, "", out);
    return out.toString();
  }

  private static void fishCommand(CommandLine cl, String path, StringBuilder out) {
    String here =
        path.isEmpty()
            ? "__fish_use_subcommand"
            : "__fish_seen_subcommand_from " + path.substring(path.lastIndexOf(' ') + 1);
    for (var e : cl.getSubcommands().entrySet()) {
      CommandLine sub = e.getValue();
      if (!sub.getCommandName().equals(e.getKey())) {
        continue;
      }
      String[] desc = sub.getCommandSpec().usageMessage().description();
      out.append("complete -c rivet -n '")
          .append(here)
          .append(path.isEmpty() ? "" : "; and not __fish_seen_subcommand_from " + subNames(cl))
          .append("' -a ")
          .append(e.getKey())
          .append(" -d ")
          .append(quote(desc.length > 0 ? desc[0] : ""))
          .append('\n');
    }
    if (!path.isEmpty()) {
      for (OptionSpec o : cl.getCommandSpec().options()) {
        out.append("complete -c rivet -n '").append(here).append("'");
        for (String n : o.names()) {
          if (n.startsWith("--")) {
            out.append(" -l ").append(n.substring(2));
          } else if (n.startsWith("-") && n.length() == 2) {
            out.append(" -s ").append(n.substring(1));
          }
        }
        if (o.arity().max() > 0) {
          out.append(" -r");
          Iterable<String> candidates = o.completionCandidates();
          if (candidates != null) {
            out.append(" -a ").append(quote(String.join(" ", candidates)));
          } else if (o.type() == Path.class) {
            out.append(" -F");
          }
        }
        String[] d = o.description();
        out.append(" -d ").append(quote(d.length > 0 ? d[0] : "")).append('\n');
      }
    }
    for (var e : cl.getSubcommands().entrySet()) {
      if (e.getValue().getCommandName().equals(e.getKey())) {
        fishCommand(e.getValue(), (path + " " + e.getKey()).trim(), out);
      }
    }
  }

  private static String subNames(CommandLine cl) {
    return String.join(" ", cl.getSubcommands().keySet());
  }

  private static String quote(String s) {
    String oneLine = s.replaceAll("\\$\\{[A-Z-]+}", "").replaceAll("\\s+", " ").strip();
    return "'" + oneLine.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
