package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DebianPackages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code rivet completions bash|zsh|fish}, each script loaded by the real shell (installed by the
 * fixture when missing) and asked to complete a command and an option.
 */
class CompletionsIT {
  @TempDir Path dir;

  private Path script(CompletionsCommand.Shell shell) throws Exception {
    Path f = dir.resolve("rivet." + shell);
    Files.writeString(f, CompletionsCommand.script(new CommandLine(new Main()), shell));
    return f;
  }

  private static String shell(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void bashCompletesCommandsAndOptions() throws Exception {
    Path f = script(CompletionsCommand.Shell.bash);
    String complete =
        "source %s; COMP_WORDS=(%s); COMP_CWORD=%d; COMP_LINE=\"${COMP_WORDS[*]}\";"
            + " COMP_POINT=${#COMP_LINE}; _complete_rivet; printf '%%s\\n' \"${COMPREPLY[@]}\"";
    assertThat(shell("bash", "-c", complete.formatted(f, "rivet rec", 1)).lines())
        .contains("reconcile");
    assertThat(shell("bash", "-c", complete.formatted(f, "rivet repair --ex", 2)).lines())
        .contains("--execute", "--export");
    assertThat(shell("bash", "-c", complete.formatted(f, "rivet state reset-", 2)).lines())
        .contains("reset-chunks");
  }

  @Test
  void zshLoadsTheScriptThroughBashCompletion() throws Exception {
    DebianPackages.ensure(Path.of("/usr/bin/zsh"), "zsh");
    Path f = script(CompletionsCommand.Shell.zsh);
    assertThat(shell("zsh", "-c", "source " + f + " && whence -w _complete_rivet"))
        .contains("_complete_rivet: function");
  }

  @Test
  void fishCompletesCommandsAndOptions() throws Exception {
    DebianPackages.ensure(Path.of("/usr/bin/fish"), "fish");
    Path f = script(CompletionsCommand.Shell.fish);
    shell("fish", "-n", f.toString());
    assertThat(shell("fish", "-c", "source " + f + "; complete -C 'rivet rec'"))
        .contains("reconcile\t");
    assertThat(shell("fish", "-c", "source " + f + "; complete -C 'rivet repair --ex'"))
        .contains("--execute\t", "--export\t");
    assertThat(shell("fish", "-c", "source " + f + "; complete -C 'rivet state '"))
        .contains("reset-chunks\t")
        .doesNotContain("reconcile\t");
  }
}
