package dev.him.coding.search;

import dev.him.coding.terminology.CodeSystemId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every code of one release of one code system, in memory, for lookup and search. Immutable: a
 * loaded release never changes, so it is built once ({@link Builder}) and shared by all requests
 * without locks.
 *
 * <p>Entries ("docs") are numbered in the release's own order (ICD-10-CM: the order file, i.e. the
 * tabular order; the others: by code). Layout, chosen for size and for scans without objects:
 *
 * <ul>
 *   <li>codes packed into a long each (seven 8-bit characters, left aligned, so numeric order is
 *       code order), plus the docs sorted by code: a code, or all codes starting with a prefix, are
 *       found by binary search;
 *   <li>descriptions in one UTF-8 byte array (a short description equal to the long one is stored
 *       once), decoded only for the entries a response shows;
 *   <li>a sorted dictionary of the words of all descriptions: the words starting with a prefix are
 *       one range of word ids; for each word the docs having it (postings, in doc order, all words'
 *       lists in one int array, so the docs of a whole prefix range are one slice of it);
 *   <li>for each doc its word ids (char, 16 bits: the dictionaries hold far fewer than 65,536
 *       words): first the long description's words in order (for ranking by position), then the
 *       other words (short description, ICD-10-CM inclusion terms) once each.
 * </ul>
 *
 * <p>A search takes the query word with the fewest postings as the driver, walks its slice, and
 * keeps the docs whose words also match every other query word (a range test per word id); ranking
 * keys are computed only for matches and the best {@code offset + limit} kept in a heap.
 */
public final class CodeIndex {
  /** How a result matched, best first. */
  public enum Match {
    CODE,
    CODE_PREFIX,
    WORDS
  }

  private static final int MAX_WORDS = 16;
  private static final Match[] MATCHES = Match.values();

  private final CodeSystemId system;
  private final String version;
  private final int size;
  private final long[] codes;
  private final int[] byCode;
  private final long[] sortedCodes;
  private final boolean[] billable;
  private final int[] parent;
  private final int[] childStart;
  private final int[] children;
  private final byte[] text;
  private final long[] shortRef;
  private final long[] longRef;
  private final String[] terms;
  private final int[] postStart;
  private final int[] postDocs;
  private final int[] tokStart;
  private final char[] toks;
  private final byte[] longCount;

  private CodeIndex(CodeSystemId system, String version, int size, BuiltArrays a) {
    this.system = system;
    this.version = version;
    this.size = size;
    this.codes = a.codes;
    this.byCode = a.byCode;
    this.sortedCodes = a.sortedCodes;
    this.billable = a.billable;
    this.parent = a.parent;
    this.childStart = a.childStart;
    this.children = a.children;
    this.text = a.text;
    this.shortRef = a.shortRef;
    this.longRef = a.longRef;
    this.terms = a.terms;
    this.postStart = a.postStart;
    this.postDocs = a.postDocs;
    this.tokStart = a.tokStart;
    this.toks = a.toks;
    this.longCount = a.longCount;
  }

  public CodeSystemId system() {
    return system;
  }

  public String version() {
    return version;
  }

  /** Number of entries (codes, headers included). */
  public int size() {
    return size;
  }

  /** Distinct words of the descriptions (and inclusion terms). */
  public int words() {
    return terms.length;
  }

  // ------------------------------------------------------------------ lookup

  /** The doc of a code (stored form: no dot, upper case), or -1. */
  public int find(String code) {
    if (code.length() > 7) return -1;
    long packed = pack(code);
    int i = Arrays.binarySearch(sortedCodes, packed);
    return i >= 0 ? byCode[i] : -1;
  }

  /** The code without the dot (E119). */
  public String code(int doc) {
    return unpack(codes[doc]);
  }

  public boolean billable(int doc) {
    return billable[doc];
  }

  public String shortDescription(int doc) {
    return decode(shortRef[doc]);
  }

  public String longDescription(int doc) {
    return decode(longRef[doc]);
  }

  /** The nearest shorter code present in the release (ICD-10-CM), or -1. */
  public int parent(int doc) {
    return parent[doc];
  }

  /** The codes whose parent this is, in the release's order. */
  public int[] children(int doc) {
    return Arrays.copyOfRange(children, childStart[doc], childStart[doc + 1]);
  }

  // ------------------------------------------------------------------ search

  /**
   * The entries matching {@code q}, best first: see the class comment of {@link CodeSearch} for the
   * rules.
   *
   * @param billable keep only billable (true) or only non-billable (false) entries; null for all
   * @param offset entries to skip
   * @param limit entries to return
   */
  public Result search(String q, Boolean billable, int offset, int limit) {
    Query query = parse(q);
    long[] seen = seen();
    TopK top = new TopK(offset + limit);
    int total = 0;
    if (query.exact >= 0) {
      int doc = query.exact;
      mark(seen, doc);
      if (keep(doc, billable)) {
        total++;
        top.offer(key(Match.CODE, doc, 0, 0, 0, 0, 0));
      }
    }
    if (query.prefixFrom < query.prefixTo) {
      for (int i = query.prefixFrom; i < query.prefixTo; i++) {
        int doc = byCode[i];
        if (marked(seen, doc)) continue;
        mark(seen, doc);
        if (!keep(doc, billable)) continue;
        total++;
        top.offer(key(Match.CODE_PREFIX, doc, 0, 0, 0, 0, codeLength(codes[doc])));
      }
    }
    if (query.words.length > 0) {
      total += searchWords(query.words, billable, seen, top);
    }
    long[] best = top.sorted();
    int from = Math.min(offset, best.length);
    int to = Math.min(best.length, offset + limit);
    int[] docs = new int[to - from];
    Match[] how = new Match[to - from];
    for (int i = from; i < to; i++) {
      docs[i - from] = (int) (best[i] & DOC_MASK);
      how[i - from] = MATCHES[(int) (best[i] >>> 61)];
    }
    return new Result(total, docs, how);
  }

  /** Which docs a search has looked at; one per thread, reused (no 12 kB of garbage a search). */
  private static final ThreadLocal<long[]> SEEN = new ThreadLocal<>();

  private long[] seen() {
    int words = (size + 63) >>> 6;
    long[] seen = SEEN.get();
    if (seen == null || seen.length < words) {
      seen = new long[words];
      SEEN.set(seen);
    } else {
      Arrays.fill(seen, 0, words, 0L);
    }
    return seen;
  }

  /** A page of matches and how many there are in all. */
  public record Result(int total, int[] docs, Match[] match) {}

  private int searchWords(Word[] words, Boolean billable, long[] seen, TopK top) {
    Word driver = words[0];
    for (Word w : words) {
      if (w.candidates() < driver.candidates()) driver = w;
    }
    if (driver.candidates() == 0) return 0;
    int total = 0;
    for (int p = postStart[driver.termFrom], end = postStart[driver.termTo]; p < end; p++) {
      int doc = postDocs[p];
      if (marked(seen, doc)) continue;
      mark(seen, doc);
      if (keep(doc, billable) && rank(doc, words, top)) total++;
    }
    for (int i = driver.codeFrom; i < driver.codeTo; i++) {
      int doc = byCode[i];
      if (marked(seen, doc)) continue;
      mark(seen, doc);
      if (keep(doc, billable) && rank(doc, words, top)) total++;
    }
    return total;
  }

  /**
   * Whether every query word matches the doc; if so, offers it with its ranking key. A word matches
   * a word of the long description (its first position counts for proximity), else a word of the
   * short description or an inclusion term (then it is "missing" from the title), else, for a
   * code-like word, the doc's code.
   */
  private boolean rank(int doc, Word[] words, TopK top) {
    int start = tokStart[doc];
    int longEnd = start + (longCount[doc] & 0xFF);
    int end = tokStart[doc + 1];
    int firstMin = Integer.MAX_VALUE;
    int firstMax = -1;
    int missing = 0;
    int inexact = 0;
    for (Word w : words) {
      int first = -1;
      boolean exact = false;
      for (int p = start; p < longEnd; p++) {
        char t = toks[p];
        if (t >= w.termFrom && t < w.termTo) {
          if (first < 0) first = p - start;
          if (t == w.exactTerm) {
            exact = true;
            break;
          }
        }
      }
      if (first >= 0) {
        if (!exact) inexact++;
        firstMin = Math.min(firstMin, first);
        firstMax = Math.max(firstMax, first);
        continue;
      }
      boolean elsewhere = false;
      for (int p = longEnd; p < end && !elsewhere; p++) {
        char t = toks[p];
        elsewhere = t >= w.termFrom && t < w.termTo;
      }
      if (elsewhere) {
        missing++;
      } else if (!(w.codeLike && codes[doc] >= w.codeLo && codes[doc] <= w.codeHi)) {
        return false;
      }
    }
    // words of the title between the query words' first places that no query word accounts for
    int gap = 0;
    for (int p = start + firstMax; firstMax >= 0 && p > start + firstMin; p--) {
      char t = toks[p - 1];
      boolean accounted = false;
      for (Word w : words) {
        if (t >= w.termFrom && t < w.termTo) {
          accounted = true;
          break;
        }
      }
      if (!accounted) gap++;
    }
    int at = firstMax >= 0 ? firstMin : 0;
    top.offer(key(Match.WORDS, doc, missing, inexact, gap, at, longEnd - start));
    return true;
  }

  private boolean keep(int doc, Boolean wanted) {
    return wanted == null || billable[doc] == wanted;
  }

  private static final long DOC_MASK = (1L << 24) - 1;

  /**
   * The ranking key: smaller is better. Bits from the top: match (2 bits: code, code prefix,
   * words), not billable (1), query words found only outside the long description (4), query words
   * matching only the start of a longer word of the long description (4), gap (8), position of the
   * first matched word (8), length in words of the long description or characters of the code (8),
   * then the doc number (24): the release's order.
   */
  private long key(Match match, int doc, int missing, int inexact, int gap, int at, int length) {
    return ((long) match.ordinal() << 61)
        | ((billable[doc] ? 0L : 1L) << 60)
        | ((long) Math.min(missing, 15) << 56)
        | ((long) Math.min(inexact, 15) << 52)
        | ((long) Math.min(gap, 255) << 44)
        | ((long) Math.min(at, 255) << 36)
        | ((long) Math.min(length, 255) << 28)
        | doc;
  }

  private static boolean marked(long[] seen, int doc) {
    return (seen[doc >>> 6] & (1L << doc)) != 0;
  }

  private static void mark(long[] seen, int doc) {
    seen[doc >>> 6] |= 1L << doc;
  }

  // ------------------------------------------------------------------ query

  /** One query word: its range of dictionary ids and, when it looks like a code, a code range. */
  private final class Word {
    final String text;
    final int termFrom;
    final int termTo;
    final int exactTerm;
    final boolean codeLike;
    final long codeLo;
    final long codeHi;
    final int codeFrom;
    final int codeTo;

    Word(String text, String codePrefix, boolean wholeWord) {
      this.text = text;
      int from = lowerBound(terms, text);
      this.exactTerm = from < terms.length && terms[from].equals(text) ? from : -1;
      if (wholeWord) {
        this.termFrom = exactTerm < 0 ? 0 : exactTerm;
        this.termTo = exactTerm < 0 ? 0 : exactTerm + 1;
      } else {
        this.termFrom = from;
        this.termTo = lowerBound(terms, text + Character.MAX_VALUE);
      }
      this.codeLike = codePrefix != null && codePrefix.length() <= 7;
      if (codeLike) {
        codeLo = pack(codePrefix);
        codeHi = codeLo | ((1L << (8 * (7 - codePrefix.length()))) - 1);
        codeFrom = lowerBound(sortedCodes, codeLo);
        codeTo = lowerBound(sortedCodes, codeHi + 1);
      } else {
        codeLo = codeHi = 0;
        codeFrom = codeTo = 0;
      }
    }

    int candidates() {
      return postStart[termTo] - postStart[termFrom] + (codeTo - codeFrom);
    }
  }

  private record Query(int exact, int prefixFrom, int prefixTo, Word[] words) {}

  private Query parse(String q) {
    String s = q.strip();
    int exact = -1;
    int prefixFrom = 0;
    int prefixTo = 0;
    if (!s.isEmpty() && s.chars().noneMatch(Character::isWhitespace)) {
      Optional<String> code = system.normalize(s);
      if (code.isPresent()) exact = find(code.get());
      Optional<String> prefix = system.codePrefix(s);
      if (prefix.isPresent() && prefix.get().length() <= 7) {
        long lo = pack(prefix.get());
        long hi = lo | ((1L << (8 * (7 - prefix.get().length()))) - 1);
        prefixFrom = lowerBound(sortedCodes, lo);
        prefixTo = lowerBound(sortedCodes, hi + 1);
      }
    }
    return new Query(exact, prefixFrom, prefixTo, words(s));
  }

  private Word[] words(String q) {
    Set<String> plain = new LinkedHashSet<>();
    List<Word> out = new ArrayList<>();
    Set<String> codeLike = new LinkedHashSet<>();
    for (String piece : q.split("[\\s,;]+")) {
      if (piece.isEmpty()) continue;
      Optional<String> prefix = system.codePrefix(piece);
      if (prefix.isPresent()) {
        codeLike.add(prefix.get());
      } else {
        plain.addAll(Words.of(piece));
      }
    }
    for (String c : codeLike) {
      if (out.size() < MAX_WORDS) out.add(new Word(Words.fold(c), c, false));
    }
    // one-character words alone ("s", "2") would start words in half the release: then they
    // match whole words only; beside a longer word they stay prefixes ("stage 3" finds "3a")
    boolean onlyLetters = codeLike.isEmpty() && plain.stream().allMatch(w -> w.length() == 1);
    for (String w : plain) {
      // a word that starts another query word adds nothing: whatever has the longer has it
      boolean covered = false;
      for (String other : plain) {
        if (!other.equals(w) && other.startsWith(w)) {
          covered = true;
          break;
        }
      }
      if (!covered && out.size() < MAX_WORDS) out.add(new Word(w, null, onlyLetters));
    }
    return out.toArray(new Word[0]);
  }

  // ------------------------------------------------------------------ helpers

  private static int lowerBound(String[] sorted, String key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid].compareTo(key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private static int lowerBound(long[] sorted, long key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Seven characters, 8 bits each, left aligned: numeric order is code order. */
  static long pack(String code) {
    long v = 0;
    for (int i = 0; i < 7; i++) {
      v = (v << 8) | (i < code.length() ? (code.charAt(i) & 0xFF) : 0);
    }
    return v;
  }

  static String unpack(long v) {
    StringBuilder b = new StringBuilder(7);
    for (int i = 0; i < 7; i++) {
      int c = (int) ((v >>> (8 * (6 - i))) & 0xFF);
      if (c == 0) break;
      b.append((char) c);
    }
    return b.toString();
  }

  private static int codeLength(long v) {
    int n = 0;
    while (n < 7 && ((v >>> (8 * (6 - n))) & 0xFF) != 0) n++;
    return n;
  }

  private String decode(long ref) {
    return new String(text, (int) (ref >>> 20), (int) (ref & 0xFFFFF), StandardCharsets.UTF_8);
  }

  /** Bytes held by the index's arrays and dictionary (object headers included, roughly). */
  public long approximateBytes() {
    long bytes = 0;
    bytes += 16 + 8L * codes.length;
    bytes += 16 + 4L * byCode.length;
    bytes += 16 + 8L * sortedCodes.length;
    bytes += 16 + billable.length;
    bytes += 16 + 4L * parent.length;
    bytes += 16 + 4L * childStart.length;
    bytes += 16 + 4L * children.length;
    bytes += 16 + text.length;
    bytes += 16 + 8L * shortRef.length;
    bytes += 16 + 8L * longRef.length;
    bytes += 16 + 4L * terms.length;
    for (String t : terms) bytes += 24 + 16 + t.length(); // String + its byte[] (Latin-1)
    bytes += 16 + 4L * postStart.length;
    bytes += 16 + 4L * postDocs.length;
    bytes += 16 + 4L * tokStart.length;
    bytes += 16 + 2L * toks.length;
    bytes += 16 + longCount.length;
    return bytes;
  }

  /** Keeps the k smallest keys: a max-heap, so the worst kept key is at the root. */
  private static final class TopK {
    private final long[] heap;
    private int size;

    TopK(int k) {
      heap = new long[Math.max(1, k)];
    }

    void offer(long key) {
      if (size < heap.length) {
        int i = size++;
        heap[i] = key;
        while (i > 0) {
          int parent = (i - 1) >>> 1;
          if (heap[parent] >= heap[i]) break;
          swap(parent, i);
          i = parent;
        }
      } else if (key < heap[0]) {
        heap[0] = key;
        int i = 0;
        while (true) {
          int l = 2 * i + 1;
          int r = l + 1;
          int largest = i;
          if (l < size && heap[l] > heap[largest]) largest = l;
          if (r < size && heap[r] > heap[largest]) largest = r;
          if (largest == i) break;
          swap(i, largest);
          i = largest;
        }
      }
    }

    long[] sorted() {
      long[] out = Arrays.copyOf(heap, size);
      Arrays.sort(out);
      return out;
    }

    private void swap(int a, int b) {
      long t = heap[a];
      heap[a] = heap[b];
      heap[b] = t;
    }
  }

  // ------------------------------------------------------------------ building

  private record BuiltArrays(
      long[] codes,
      int[] byCode,
      long[] sortedCodes,
      boolean[] billable,
      int[] parent,
      int[] childStart,
      int[] children,
      byte[] text,
      long[] shortRef,
      long[] longRef,
      String[] terms,
      int[] postStart,
      int[] postDocs,
      int[] tokStart,
      char[] toks,
      byte[] longCount) {}

  /**
   * Takes the entries of one release in their order and builds the index. Streaming: each entry is
   * encoded and cut into words as it is added, so building holds little more than the index. Search
   * texts (inclusion terms) must be given before their code. Not thread-safe: used by one thread,
   * then dropped.
   */
  public static final class Builder {
    private final CodeSystemId system;
    private final String version;
    private final boolean hierarchy;
    private final Longs codes = new Longs();
    private final java.util.BitSet billable = new java.util.BitSet();
    private final Bytes text = new Bytes();
    private final Longs shortRef = new Longs();
    private final Longs longRef = new Longs();
    private final Ints tokStart = new Ints();
    private final Ints toks = new Ints();
    private final Ints longCount = new Ints();
    private final java.util.Map<String, Integer> ids = new java.util.HashMap<>();
    private final List<String> vocabulary = new ArrayList<>();
    private final java.util.Map<String, List<String>> extra = new java.util.HashMap<>();
    private int size;

    /**
     * @param hierarchy whether a code's parent is the nearest shorter code present (ICD-10-CM);
     *     false where codes are flat (ICD-10-PCS) or where a short code is not a parent (an HCPCS
     *     modifier such as A4 is not the parent of A4206)
     */
    public Builder(CodeSystemId system, String version, boolean hierarchy) {
      this.system = system;
      this.version = version;
      this.hierarchy = hierarchy;
    }

    /** More text a code is found by (an ICD-10-CM inclusion term); give it before the code. */
    public Builder addSearchText(String code, String text) {
      extra.computeIfAbsent(code, c -> new ArrayList<>(2)).add(text);
      return this;
    }

    /** Adds the next entry; entries keep the order they are added in. */
    public Builder add(String code, boolean isBillable, String shortText, String longText) {
      if (code.isEmpty() || code.length() > 7) {
        throw new IllegalArgumentException("code " + code + " is not 1 to 7 characters");
      }
      if (size >= (1 << 24) - 1) throw new IllegalStateException("too many codes for one index");
      int d = size++;
      codes.add(pack(code));
      billable.set(d, isBillable);
      String shortOrLong = shortText == null || shortText.isBlank() ? longText : shortText;
      long longAt = text.add(longText);
      longRef.add(longAt);
      shortRef.add(shortOrLong.equals(longText) ? longAt : text.add(shortOrLong));

      int from = toks.size;
      tokStart.add(from);
      List<String> title = Words.of(longText);
      if (title.size() > 255) title = title.subList(0, 255);
      for (String w : title) toks.add(id(w));
      longCount.add(title.size());
      List<String> more = new ArrayList<>(Words.of(shortOrLong));
      List<String> terms = extra.remove(code);
      if (terms != null) for (String t : terms) more.addAll(Words.of(t));
      for (String w : more) {
        int id = id(w);
        if (!toks.contains(id, from, toks.size)) toks.add(id);
      }
      return this;
    }

    private int id(String word) {
      Integer id = ids.get(word);
      if (id == null) {
        id = vocabulary.size();
        ids.put(word, id);
        vocabulary.add(word);
      }
      return id;
    }

    public CodeIndex build() {
      int n = size;
      long[] packed = codes.toArray();
      int[] byCode = sortedByCode(packed);
      long[] sortedCodes = new long[n];
      for (int i = 0; i < n; i++) {
        sortedCodes[i] = packed[byCode[i]];
        if (i > 0 && sortedCodes[i] == sortedCodes[i - 1]) {
          throw new IllegalArgumentException("code " + unpack(sortedCodes[i]) + " is listed twice");
        }
      }
      boolean[] isBillable = new boolean[n];
      for (int d = 0; d < n; d++) isBillable[d] = billable.get(d);

      // hierarchy: parent = the longest shorter code present; children in the release's order
      int[] parent = new int[n];
      java.util.Arrays.fill(parent, -1);
      if (hierarchy) {
        for (int d = 0; d < n; d++) {
          for (int len = codeLength(packed[d]) - 1; len >= 1 && parent[d] < 0; len--) {
            long prefix = packed[d] & ~((1L << (8 * (7 - len))) - 1);
            int i = java.util.Arrays.binarySearch(sortedCodes, prefix);
            if (i >= 0) parent[d] = byCode[i];
          }
        }
      }
      int[] childStart = new int[n + 1];
      for (int d = 0; d < n; d++) if (parent[d] >= 0) childStart[parent[d] + 1]++;
      for (int d = 0; d < n; d++) childStart[d + 1] += childStart[d];
      int[] children = new int[childStart[n]];
      int[] fill = java.util.Arrays.copyOf(childStart, n);
      for (int d = 0; d < n; d++) if (parent[d] >= 0) children[fill[parent[d]]++] = d;

      // words renumbered in dictionary order, so a prefix is a range of ids
      if (vocabulary.size() > Character.MAX_VALUE) {
        throw new IllegalStateException(
            vocabulary.size() + " distinct words: more than the index's 16-bit word ids hold");
      }
      String[] terms = vocabulary.toArray(new String[0]);
      java.util.Arrays.sort(terms);
      int[] renumber = new int[terms.length];
      for (int i = 0; i < terms.length; i++) renumber[ids.get(terms[i])] = i;
      char[] tokChars = new char[toks.size];
      for (int i = 0; i < toks.size; i++) tokChars[i] = (char) renumber[toks.values[i]];
      tokStart.add(toks.size);
      int[] starts = tokStart.toArray();
      byte[] counts = new byte[n];
      for (int d = 0; d < n; d++) counts[d] = (byte) longCount.values[d];

      // postings: each doc once per word it has, each list in doc order
      int[] lastDoc = new int[terms.length];
      java.util.Arrays.fill(lastDoc, -1);
      int[] postStart = new int[terms.length + 1];
      for (int d = 0; d < n; d++) {
        for (int p = starts[d]; p < starts[d + 1]; p++) {
          int t = tokChars[p];
          if (lastDoc[t] != d) {
            lastDoc[t] = d;
            postStart[t + 1]++;
          }
        }
      }
      for (int t = 0; t < terms.length; t++) postStart[t + 1] += postStart[t];
      int[] postDocs = new int[postStart[terms.length]];
      int[] at = java.util.Arrays.copyOf(postStart, terms.length);
      java.util.Arrays.fill(lastDoc, -1);
      for (int d = 0; d < n; d++) {
        for (int p = starts[d]; p < starts[d + 1]; p++) {
          int t = tokChars[p];
          if (lastDoc[t] != d) {
            lastDoc[t] = d;
            postDocs[at[t]++] = d;
          }
        }
      }
      return new CodeIndex(
          system,
          version,
          n,
          new BuiltArrays(
              packed,
              byCode,
              sortedCodes,
              isBillable,
              parent,
              childStart,
              children,
              text.toArray(),
              shortRef.toArray(),
              longRef.toArray(),
              terms,
              postStart,
              postDocs,
              starts,
              tokChars,
              counts));
    }

    private static int[] sortedByCode(long[] packed) {
      Integer[] order = new Integer[packed.length];
      for (int d = 0; d < packed.length; d++) order[d] = d;
      java.util.Arrays.sort(order, (a, b) -> Long.compare(packed[a], packed[b]));
      int[] out = new int[packed.length];
      for (int i = 0; i < out.length; i++) out[i] = order[i];
      return out;
    }
  }

  /** A growing long array. */
  private static final class Longs {
    long[] values = new long[1 << 12];
    int size;

    void add(long v) {
      if (size == values.length) values = Arrays.copyOf(values, size * 2);
      values[size++] = v;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }

  /** A growing int array. */
  private static final class Ints {
    int[] values = new int[1 << 12];
    int size;

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }

    void add(int v) {
      if (size == values.length) values = Arrays.copyOf(values, size * 2);
      values[size++] = v;
    }

    boolean contains(int v, int from, int to) {
      for (int i = from; i < to; i++) if (values[i] == v) return true;
      return false;
    }
  }

  /** A growing byte array of UTF-8 texts; a reference is offset << 20 | length. */
  private static final class Bytes {
    byte[] values = new byte[1 << 16];
    int size;

    long add(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length >= (1 << 20)) throw new IllegalArgumentException("description too long");
      while (size + b.length > values.length) values = Arrays.copyOf(values, values.length * 2);
      System.arraycopy(b, 0, values, size, b.length);
      long ref = ((long) size << 20) | b.length;
      size += b.length;
      return ref;
    }

    byte[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
