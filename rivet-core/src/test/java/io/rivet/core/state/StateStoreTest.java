package io.rivet.core.state;

import java.nio.file.Files;
import java.util.List;

/** The state store on a SQLite file, the default beside the config. */
class StateStoreTest extends StateStoreContract {
  @Override
  protected String url() {
    return SqliteBackend.PREFIX + dir.resolve(".rivet_state.db");
  }

  @Override
  protected String otherUrl() {
    return SqliteBackend.PREFIX + dir.resolve("other.db");
  }

  @Override
  protected List<List<String>> versions() {
    return SqliteMigrations.VERSIONS;
  }

  @Override
  protected void dropAll() throws Exception {
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(dir.resolve(".rivet_state.db" + suffix));
    }
  }
}
