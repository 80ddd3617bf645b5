package io.rivet.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy between a client and a database server that misbehaves on request, the way networks
 * and proxies do: {@link #cut} drops every open connection mid-stream, {@link #freeze} stops moving
 * the bytes of the open connections (they stay open, as behind a stalled NAT or a hung proxy),
 * {@link #refuse} turns new connections away, {@link #delay} adds latency to every chunk of bytes.
 * A few hundred lines' stand-in for toxiproxy, which has no package here.
 */
public final class FaultProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean refusing;
  private volatile long delayMs;
  private volatile boolean closed;
  private final Thread acceptor;

  public FaultProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "fault-proxy-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Connections accepted so far (reconnects show up here). */
  public int accepted() {
    return accepted.get();
  }

  /** Closes every open connection at once, both sides, as a reset would. */
  public void cut() {
    for (Link l : links) {
      l.close();
    }
  }

  /**
   * Stops forwarding on every connection open now, for {@code millis}: no byte moves in either
   * direction, no socket closes. Connections made afterwards are not frozen.
   */
  public void freeze(long millis) {
    long until = System.currentTimeMillis() + millis;
    for (Link l : links) {
      l.frozenUntil.set(until);
    }
  }

  /** Turns new connections away (accepted and closed at once) while on. */
  public void refuse(boolean on) {
    refusing = on;
  }

  /** Adds this much latency before every chunk of bytes forwarded. */
  public void delay(long millis) {
    delayMs = millis;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        accepted.incrementAndGet();
        if (refusing) {
          client.setSoLinger(true, 0);
          client.close();
          continue;
        }
        Socket server = new Socket();
        server.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
        Link link = new Link(client, server);
        links.add(link);
        link.start();
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    cut();
  }

  /** One proxied connection: two pumps, one per direction. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private final AtomicLong frozenUntil = new AtomicLong();

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void start() {
      pump(client, server, "up");
      pump(server, client, "down");
    }

    private void pump(Socket from, Socket to, String dir) {
      Thread t =
          new Thread(
              () -> {
                byte[] buf = new byte[16 * 1024];
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  while (true) {
                    waitWhileFrozen();
                    int n = in.read(buf);
                    if (n < 0) {
                      break;
                    }
                    waitWhileFrozen();
                    if (delayMs > 0) {
                      Thread.sleep(delayMs);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                  }
                } catch (IOException | InterruptedException e) {
                  // the other side closed, or the proxy cut the link
                } finally {
                  close();
                }
              },
              "fault-proxy-" + dir);
      t.setDaemon(true);
      t.start();
    }

    private void waitWhileFrozen() throws InterruptedException {
      while (System.currentTimeMillis() < frozenUntil.get()) {
        Thread.sleep(20);
      }
    }

    void close() {
      links.remove(this);
      for (Socket s : new Socket[] {client, server}) {
        try {
          s.setSoLinger(true, 0);
          s.close();
        } catch (SocketException ignored) {
          // already closed
        } catch (IOException ignored) {
          // closing is best effort
        }
      }
    }
  }
}
