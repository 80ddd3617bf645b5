package io.rivet.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real pgBouncer (Debian's package, installed by this fixture when missing) in front of a test
 * PostgreSQL. Run in a user namespace, as zonky runs PostgreSQL, because pgBouncer refuses to run
 * as root and the build does.
 */
public final class TestingPgBouncer implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

  private final Process process;
  private final int port;
  private final Path dir;

  /**
   * @param poolMode {@code transaction}, {@code session} or {@code statement}
   * @param poolSize server connections per database/user pair: 1 makes every client's transactions
   *     share one server connection, so session state left by one client is seen by the next
   */
  public TestingPgBouncer(int serverPort, String poolMode, int poolSize) throws Exception {
    this(serverPort, poolMode, poolSize, "");
  }

  /**
   * @param moreSettings further lines of pgbouncer.ini's {@code [pgbouncer]} section
   */
  public TestingPgBouncer(int serverPort, String poolMode, int poolSize, String moreSettings)
      throws Exception {
    DebianPackages.ensure(BINARY, "pgbouncer");
    dir = Files.createTempDirectory("pgbouncer");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.writeString(dir.resolve("users.txt"), "\"postgres\" \"\"\n");
    Files.writeString(
        dir.resolve("pgbouncer.ini"),
        """
        [databases]
        * = host=127.0.0.1 port=%d
        [pgbouncer]
        listen_addr = 127.0.0.1
        listen_port = %d
        unix_socket_dir =
        auth_type = trust
        auth_file = %s
        admin_users = postgres
        pool_mode = %s
        default_pool_size = %d
        max_client_conn = 200
        ignore_startup_parameters = extra_float_digits
        logfile = %s
        pidfile = %s
        %s
        """
            .formatted(
                serverPort,
                port,
                dir.resolve("users.txt"),
                poolMode,
                poolSize,
                dir.resolve("pgbouncer.log"),
                dir.resolve("pgbouncer.pid"),
                moreSettings));
    process =
        new ProcessBuilder(
                "unshare", "-U", BINARY.toString(), dir.resolve("pgbouncer.ini").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          break;
        }
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("pgbouncer did not start: " + log());
  }

  public int port() {
    return port;
  }

  /** A JDBC URL for {@code database} through the pooler. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
  }

  public String log() throws IOException {
    Path f = dir.resolve("pgbouncer.log");
    return Files.exists(f) ? Files.readString(f) : Files.readString(dir.resolve("stdout.log"));
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor();
  }
}
