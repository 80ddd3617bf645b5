package io.rivet.beam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivet.core.extract.PartTakenException;
import io.rivet.core.state.PartRecord;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two copies of the same work write one part name on a local disk. Only the copy the ledger
 * admitted ever writes the final name; the other takes back its own temporary file and never
 * touches the winner's part — whichever order they finish in. (CI once saw the old order — rename,
 * then ledger — lose a committed part: the loser deleted the name after the winner had published
 * it.)
 */
class BeamPartStoreTest {
  @TempDir Path dir;

  private static PartRecord record(String name, long from, long to) {
    return new PartRecord("r", "t", 0, from, to, name, 1, 3, "sha256:x", null);
  }

  private static void write(BeamPartStore store, String name, String content) throws Exception {
    try (OutputStream out = store.create(name)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    store.commit(name);
  }

  private List<String> names() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theLoserNeverTouchesTheWinnersPart() throws Exception {
    BeamPartStore winner = new BeamPartStore(dir.toString());
    BeamPartStore loser = new BeamPartStore(dir.toString());
    write(winner, "p.parquet", "win");
    write(loser, "p.parquet", "lose");
    assertThat(names())
        .as("nothing is visible before the ledger admits it")
        .noneMatch(n -> n.equals("p.parquet"));

    winner.publish(List.of(record("p.parquet", 1, 2501)), parts -> {});
    loser.withdraw(record("p.parquet", 1, 5001));
    assertThat(Files.readString(dir.resolve("p.parquet"))).isEqualTo("win");
    assertThat(names()).containsExactly("p.parquet");
  }

  @Test
  void theLoserWithdrawingFirstLeavesTheWinnerToPublish() throws Exception {
    BeamPartStore winner = new BeamPartStore(dir.toString());
    BeamPartStore loser = new BeamPartStore(dir.toString());
    write(loser, "p.parquet", "lose");
    write(winner, "p.parquet", "win");
    loser.withdraw(record("p.parquet", 1, 5001));
    winner.publish(List.of(record("p.parquet", 1, 2501)), parts -> {});
    assertThat(Files.readString(dir.resolve("p.parquet"))).isEqualTo("win");
    assertThat(names()).containsExactly("p.parquet");
  }

  @Test
  void anAdmittedPartTheLedgerNoLongerHoldsIsNotPublished() throws Exception {
    BeamPartStore zombie = new BeamPartStore(dir.toString());
    write(zombie, "p.parquet", "late");
    assertThatThrownBy(
            () ->
                zombie.publish(
                    List.of(record("p.parquet", 1, 2501)),
                    parts -> {
                      throw new PartTakenException("p.parquet");
                    }))
        .isInstanceOf(PartTakenException.class);
    assertThat(names()).as("its temporary file is gone, nothing published").isEmpty();
  }
}
