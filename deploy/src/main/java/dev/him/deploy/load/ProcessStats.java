package dev.him.deploy.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU time and resident memory of the platform's processes, read from /proc (Linux). Each process
 * is found by the port it listens on, so it is the one actually serving the benchmark, whatever
 * else runs on the machine. PostgreSQL is the postmaster plus its backends.
 */
final class ProcessStats {
  /** USER_HZ: the unit of utime/stime in /proc/[pid]/stat; 100 on every Linux build in use. */
  private static final double TICKS_PER_SECOND = 100.0;

  /** One watched process (or process tree, for PostgreSQL). */
  record Watched(String name, int port, long pid, boolean tree) {}

  private final List<Watched> watched = new ArrayList<>();

  /** Finds the listener of each port; ports nobody listens on are left out. */
  static ProcessStats find(Map<String, Integer> ports, Set<String> trees) {
    ProcessStats stats = new ProcessStats();
    Map<Long, Integer> inodeToPort = listeningInodes(new HashSet<>(ports.values()));
    Map<Integer, Long> portToPid = pidsOwning(inodeToPort);
    ports.forEach(
        (name, port) -> {
          Long pid = portToPid.get(port);
          if (pid != null) {
            stats.watched.add(new Watched(name, port, pid, trees.contains(name)));
          }
        });
    return stats;
  }

  List<Watched> watched() {
    return watched;
  }

  /** CPU seconds used so far by each watched process (tree), and "machine" for the whole box. */
  Map<String, Double> cpuSeconds() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Watched w : watched) {
      double ticks = ticks(w.pid(), w.tree());
      if (w.tree()) {
        for (long child : children(w.pid())) ticks += ticks(child, false);
      }
      out.put(w.name(), ticks / TICKS_PER_SECOND);
    }
    out.put("benchmark", ticks(ProcessHandle.current().pid(), false) / TICKS_PER_SECOND);
    out.put("machine", machineBusyTicks() / TICKS_PER_SECOND);
    return out;
  }

  /**
   * CPU ticks inside one watched process, by thread (or PostgreSQL process), keyed "id TAB group"
   * where the group says what does the work: JVM threads by name (a trailing number dropped, so "GC
   * Thread#1" counts as "GC Thread"; Linux keeps 15 characters of a name, so "C2 CompilerThread0"
   * shows as "C2 CompilerThre"), PostgreSQL processes by role or by the database they serve.
   */
  Map<String, Long> ticksByPart(Watched w) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (w.tree()) {
      out.put(w.pid() + "\tpostmaster", ticks(w.pid(), false));
      for (long child : children(w.pid())) {
        out.put(child + "\t" + postgresRole(child), ticks(child, false));
      }
      return out;
    }
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc/" + w.pid() + "/task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.put(
              task.getFileName() + "\t" + name.replaceAll("[#-]?[0-9]+$", "").trim(),
              Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (IOException | RuntimeException e) {
          // the thread has ended
        }
      }
    } catch (IOException e) {
      // the process has gone
    }
    return out;
  }

  static double seconds(long ticks) {
    return ticks / TICKS_PER_SECOND;
  }

  /** "db records" for a backend (title "postgres: user db host(port) state"), else its role. */
  private static String postgresRole(long pid) {
    try {
      String title =
          new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")))
              .replace('\0', ' ')
              .trim();
      if (!title.startsWith("postgres: ")) return "other";
      String[] words = title.substring(10).split("\\s+");
      if (words.length >= 3 && words[2].contains("(")) return "db " + words[1];
      return title.substring(10).replaceAll("\\s+$", "");
    } catch (IOException e) {
      return "other";
    }
  }

  /** Resident set size in kB of each watched process (for a tree: the root process only). */
  Map<String, Long> rssKb(String field) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Watched w : watched) out.put(w.name(), statusKb(w.pid(), field));
    return out;
  }

  /** Sum of VmRSS over a tree's processes; shared memory is counted once per process. */
  long treeRssKb(Watched w) {
    long kb = statusKb(w.pid(), "VmRSS");
    for (long child : children(w.pid())) kb += statusKb(child, "VmRSS");
    return kb;
  }

  int treeSize(Watched w) {
    return 1 + children(w.pid()).size();
  }

  /** The JVM options of a watched java process (the arguments before -jar or the main class). */
  static String jvmFlags(long pid) {
    try {
      String[] args =
          new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).split("\0");
      List<String> flags = new ArrayList<>();
      for (int k = 1; k < args.length; k++) {
        if (args[k].equals("-jar") || args[k].equals("-cp") || !args[k].startsWith("-")) break;
        flags.add(args[k]);
      }
      return flags.isEmpty() ? "(none)" : String.join(" ", flags);
    } catch (IOException e) {
      return "(unknown)";
    }
  }

  static long statusKb(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process has gone
    }
    return 0;
  }

  /** utime + stime (+ cutime + cstime for a tree root, which holds its exited children's). */
  private static long ticks(long pid, boolean withReapedChildren) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": f[0] is state (field 3), so field n is f[n - 3]
      long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      if (withReapedChildren) t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
      return t;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static List<Long> children(long pid) {
    return ProcessHandle.of(pid)
        .map(h -> h.descendants().map(ProcessHandle::pid).toList())
        .orElse(List.of());
  }

  private static long machineBusyTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      // user nice system idle iowait irq softirq steal: everything but idle and iowait
      for (int k = 1; k <= 8 && k < f.length; k++) {
        if (k != 4 && k != 5) busy += Long.parseLong(f[k]);
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static Map<Long, Integer> listeningInodes(Set<Integer> ports) {
    Map<Long, Integer> out = new LinkedHashMap<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        List<String> lines = Files.readAllLines(Path.of(table));
        for (String line : lines.subList(1, lines.size())) {
          String[] f = line.trim().split("\\s+");
          if (!f[3].equals("0A")) continue; // LISTEN
          int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
          if (ports.contains(port)) out.put(Long.parseLong(f[9]), port);
        }
      } catch (IOException | RuntimeException e) {
        // no IPv6 table, or not Linux
      }
    }
    return out;
  }

  private static Map<Integer, Long> pidsOwning(Map<Long, Integer> inodes) {
    Map<Integer, Long> out = new LinkedHashMap<>();
    if (inodes.isEmpty()) return out;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
          for (Path fd : fds) {
            String link;
            try {
              link = Files.readSymbolicLink(fd).toString();
            } catch (IOException e) {
              continue;
            }
            if (link.startsWith("socket:[")) {
              Integer port = inodes.get(Long.parseLong(link.substring(8, link.length() - 1)));
              // forked children may share the socket: the parent (lowest pid) is the server
              if (port != null)
                out.merge(port, Long.parseLong(proc.getFileName().toString()), Math::min);
            }
          }
        } catch (IOException | RuntimeException e) {
          // not ours to read, or gone
        }
      }
    } catch (IOException e) {
      // no /proc
    }
    return out;
  }
}
