package dev.him.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port helpers for starting servers on loopback. */
public final class Ports {
  private Ports() {}

  public static int free() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final java.util.Set<Integer> HANDED_OUT =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A free port for a server that binds it only later (a service process that starts in seconds).
   * It lies below the operating system's range for outgoing connections, so no client socket (a
   * Kafka or JDBC connection opened meanwhile) can take it first, as happened with {@link #free()};
   * and no port is handed out twice by this JVM.
   */
  public static int freeForLaterServer() {
    int below = ephemeralRangeStart();
    int low = 10_000;
    if (below - low < 1_000) {
      return free();
    }
    java.util.Random random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 500; attempt++) {
      int port = low + random.nextInt(below - low);
      if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
        return port;
      }
    }
    return free();
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return !inUse(port);
    } catch (IOException e) {
      return false;
    }
  }

  /** Linux: /proc/sys/net/ipv4/ip_local_port_range; elsewhere the IANA dynamic range, 49152. */
  private static int ephemeralRangeStart() {
    try {
      String range =
          java.nio.file.Files.readString(
              java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
      return Integer.parseInt(range.strip().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 49_152;
    }
  }

  /** True when something already listens on 127.0.0.1:port. */
  public static boolean inUse(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
