package dev.him.coding.search;

import dev.him.coding.terminology.CodeSystemId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * In-JVM measure of the search index alone (no HTTP, no database): builds the ICD-10-CM index
 * straight from the CDC order file and times {@link CodeIndex#search} over a fixed mix of realistic
 * queries. It shows what the index costs inside the service (the Server-Timing figure adds version
 * resolution and the response). Needs only the JDK and the compiled classes:
 *
 * <pre>
 * ./mvnw -o -q -pl coding-service compile
 * java -Xmx192m -cp coding-service/target/classes dev.him.coding.search.IndexBenchmark \
 *     [../shared/data/codesets/ICD10-CM-Code-Descriptions-2025.zip] [seconds, 10]
 * </pre>
 */
public final class IndexBenchmark {
  /**
   * What coders type: the same 60 queries as deploy/load/CodeSearchBenchmark (words, abbreviations,
   * codes with and without the dot, prefixes), so both report on one mix.
   */
  static final List<String> QUERIES =
      List.of(
          "diab mell type 2",
          "E11.9",
          "e119",
          "E11",
          "hypertension",
          "essential hypertension",
          "chest pain",
          "pneumonia",
          "sepsis",
          "acute kidney failure",
          "chronic kidney disease stage 3",
          "heart failure",
          "atrial fib",
          "urinary tract infection",
          "fracture neck femur right",
          "S72.001A",
          "hip fracture",
          "major depressive",
          "anxiety",
          "asthma",
          "covid",
          "obesity",
          "hyperlipidemia",
          "reflux",
          "migraine",
          "low back pain",
          "osteoarthritis knee",
          "alzheimer",
          "cerebral infarction",
          "I10",
          "J18.9",
          "N39.0",
          "z00.00",
          "preterm labor",
          "anemia",
          "hypothyroidism",
          "dementia",
          "alcohol dependence",
          "opioid use",
          "sprain ankle",
          "laceration hand",
          "abdominal pain",
          "nausea vomiting",
          "syncope",
          "headache",
          "cellulitis lower limb",
          "pressure ulcer sacral",
          "diabetic retinopathy",
          "long term insulin",
          "encounter screening",
          "F32.A",
          "r07.9",
          "a41.9",
          "k21",
          "e11 kidney",
          "copd",
          "chronic obstructive pulmonary",
          "fx femur",
          "pain",
          "type 1 diab");

  /** Worst cases, measured apart: a one-letter word and a word in most titles. */
  static final List<String> WORST = List.of("s", "of", "fx", "a");

  private IndexBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path zip =
        Path.of(
            args.length > 0
                ? args[0]
                : "../shared/data/codesets/ICD10-CM-Code-Descriptions-2025.zip");
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    System.out.printf(
        "JVM: Java %s, %s%n",
        System.getProperty("java.version"),
        ManagementFactory.getRuntimeMXBean().getInputArguments());
    long heapBefore = usedHeapAfterGc();
    long t0 = System.nanoTime();
    CodeIndex index = read(zip);
    long buildMs = (System.nanoTime() - t0) / 1_000_000;
    long heapAfter = usedHeapAfterGc();
    System.out.printf(
        "ICD-10-CM index from %s: %,d codes, %,d words; built in %,d ms (read + build);"
            + " approx. %.1f MB by array sizes, heap growth after GC %.1f MB%n",
        zip.getFileName(),
        index.size(),
        index.words(),
        buildMs,
        index.approximateBytes() / 1048576.0,
        (heapAfter - heapBefore) / 1048576.0);

    // warm-up (JIT), then every query in turn for the measured seconds, one thread
    long warmEnd = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < warmEnd) {
      for (String q : QUERIES) index.search(q, null, 0, 20);
    }
    long[][] perQuery = new long[QUERIES.size()][];
    int[] counts = new int[QUERIES.size()];
    for (int i = 0; i < perQuery.length; i++) perQuery[i] = new long[1024];
    long[] all = new long[1 << 16];
    int n = 0;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      for (int i = 0; i < QUERIES.size(); i++) {
        long s = System.nanoTime();
        index.search(QUERIES.get(i), null, 0, 20);
        long ns = System.nanoTime() - s;
        if (counts[i] == perQuery[i].length)
          perQuery[i] = Arrays.copyOf(perQuery[i], counts[i] * 2);
        perQuery[i][counts[i]++] = ns;
        if (n == all.length) all = Arrays.copyOf(all, n * 2);
        all[n++] = ns;
      }
    }
    Arrays.sort(all, 0, n);
    System.out.printf(
        "%,d searches in %d s on one thread (%,.0f/s): p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms,"
            + " max %.3f ms%n",
        n,
        seconds,
        n / (double) seconds,
        pct(all, n, 50),
        pct(all, n, 99),
        pct(all, n, 99.9),
        all[n - 1] / 1e6);
    System.out.println("per query (p50 / p99 ms, total matches, first result):");
    for (int i = 0; i < QUERIES.size(); i++) {
      Arrays.sort(perQuery[i], 0, counts[i]);
      CodeIndex.Result r = index.search(QUERIES.get(i), null, 0, 1);
      String first =
          r.docs().length == 0
              ? "-"
              : CodeSystemId.ICD10CM.display(index.code(r.docs()[0]))
                  + " "
                  + index.longDescription(r.docs()[0]);
      System.out.printf(
          Locale.ROOT,
          "  %-28s %7.3f %7.3f %7d  %s%n",
          '"' + QUERIES.get(i) + '"',
          pct(perQuery[i], counts[i], 50),
          pct(perQuery[i], counts[i], 99),
          r.total(),
          first.length() > 70 ? first.substring(0, 70) + "..." : first);
    }
    worst(index);
  }

  private static void worst(CodeIndex index) {
    System.out.println("worst cases, apart from the mix (p50 / p99 ms over 200 runs, matches):");
    for (String q : WORST) {
      long[] t = new long[200];
      for (int i = 0; i < t.length; i++) {
        long s = System.nanoTime();
        index.search(q, null, 0, 20);
        t[i] = System.nanoTime() - s;
      }
      Arrays.sort(t);
      System.out.printf(
          Locale.ROOT,
          "  %-28s %7.3f %7.3f %7d%n",
          '"' + q + '"',
          pct(t, t.length, 50),
          pct(t, t.length, 99),
          index.search(q, null, 0, 1).total());
    }
  }

  /** Reads the order file (fixed width: order, code, billable, short, long) from the CDC zip. */
  static CodeIndex read(Path zipFile) throws IOException {
    CodeIndex.Builder b = new CodeIndex.Builder(CodeSystemId.ICD10CM, "FY2025", true);
    try (ZipFile zip = new ZipFile(zipFile.toFile())) {
      ZipEntry entry =
          zip.stream()
              .filter(e -> e.getName().matches("(.*/)?icd10cm-order-\\d{4}\\.txt"))
              .findFirst()
              .orElseThrow(() -> new IOException("no icd10cm-order-YYYY.txt in " + zipFile));
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(zip.getInputStream(entry), StandardCharsets.ISO_8859_1))) {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
          if (line.length() < 78) continue;
          b.add(
              line.substring(6, 13).strip(),
              line.charAt(14) == '1',
              line.substring(16, 76).strip(),
              line.substring(77).strip());
        }
        lines.clear();
      }
    }
    return b.build();
  }

  private static double pct(long[] sorted, int n, double p) {
    int rank = (int) Math.ceil(p / 100.0 * n);
    return sorted[Math.min(n - 1, Math.max(0, rank - 1))] / 1e6;
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
