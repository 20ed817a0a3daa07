package dev.him.coding.suggest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The billable codes of one ICD-10-CM release as phrases to find in clinical text: each code's
 * title and each of its inclusion terms. Words in parentheses are nonessential modifiers in ICD-10
 * titles ("Essential (primary) hypertension"), so only the other words must be found. Immutable
 * once built (a loaded release never changes); matching allocates per call, so it is thread-safe.
 */
final class SuggestionIndex {
  /** One code title or inclusion term. */
  record Phrase(int code, String text, String kind, int[] required, float requiredWeight) {}

  private final String[] codes;
  private final String[] displays;
  private final Map<String, Integer> codeIndex;
  private final Map<String, Integer> tokenIds;
  private final float[] idf;
  private final Phrase[] phrases;
  private final int[][] postings;

  private SuggestionIndex(
      String[] codes,
      String[] displays,
      Map<String, Integer> tokenIds,
      float[] idf,
      Phrase[] phrases,
      int[][] postings) {
    this.codes = codes;
    this.displays = displays;
    this.tokenIds = tokenIds;
    this.idf = idf;
    this.phrases = phrases;
    this.postings = postings;
    this.codeIndex = new HashMap<>(codes.length * 2);
    for (int i = 0; i < codes.length; i++) codeIndex.put(codes[i], i);
  }

  int phraseCount() {
    return phrases.length;
  }

  Phrase phrase(int id) {
    return phrases[id];
  }

  String code(int codeId) {
    return codes[codeId];
  }

  String display(int codeId) {
    return displays[codeId];
  }

  /** The code id of a dotted code (E11.9), or -1 when the release has no such billable code. */
  int codeId(String dottedCode) {
    Integer id = codeIndex.get(dottedCode);
    return id == null ? -1 : id;
  }

  int tokenId(String word) {
    Integer id = tokenIds.get(word);
    return id == null ? -1 : id;
  }

  float idf(int token) {
    return idf[token];
  }

  int[] postings(int token) {
    return postings[token];
  }

  /** Collects codes and their phrases, then freezes them into an index. */
  static final class Builder {
    private final List<String> codes = new ArrayList<>();
    private final List<String> displays = new ArrayList<>();
    private final Map<String, Integer> codeIds = new HashMap<>();
    private final List<String[]> rawPhrases = new ArrayList<>(); // code id, text, kind
    private final Map<String, Integer> tokenIds = new HashMap<>();
    private final List<int[]> phraseTokens = new ArrayList<>();

    void code(String dottedCode, String title) {
      int id = codes.size();
      codes.add(dottedCode);
      displays.add(title);
      codeIds.put(dottedCode, id);
      phrase(id, title, "title");
    }

    /**
     * An inclusion term ("inclusionTerm" or "includes" note) of a code added before; ignored when
     * the code is not billable here (a category's terms do not say which child applies).
     */
    void inclusionTerm(String dottedCode, String kind, String term) {
      Integer id = codeIds.get(dottedCode);
      if (id != null) phrase(id, term, kind);
    }

    private void phrase(int codeId, String text, String kind) {
      Set<Integer> required = new LinkedHashSet<>();
      for (String w : Words.of(essentialWords(text))) {
        required.add(tokenIds.computeIfAbsent(w, k -> tokenIds.size()));
      }
      if (required.isEmpty()) return;
      rawPhrases.add(new String[] {Integer.toString(codeId), text, kind});
      phraseTokens.add(required.stream().mapToInt(Integer::intValue).toArray());
    }

    SuggestionIndex build() {
      int tokens = tokenIds.size();
      int[] df = new int[tokens];
      for (int[] p : phraseTokens) for (int t : p) df[t]++;
      float[] idf = new float[tokens];
      int n = phraseTokens.size();
      for (int t = 0; t < tokens; t++) idf[t] = (float) Math.log(1.0 + (double) n / df[t]);
      int[][] postings = new int[tokens][];
      for (int t = 0; t < tokens; t++) postings[t] = new int[df[t]];
      int[] fill = new int[tokens];
      Phrase[] phrases = new Phrase[n];
      for (int p = 0; p < n; p++) {
        int[] req = phraseTokens.get(p);
        float weight = 0;
        for (int t : req) {
          postings[t][fill[t]++] = p;
          weight += idf[t];
        }
        String[] raw = rawPhrases.get(p);
        phrases[p] = new Phrase(Integer.parseInt(raw[0]), raw[1], raw[2], req, weight);
      }
      return new SuggestionIndex(
          codes.toArray(String[]::new),
          displays.toArray(String[]::new),
          Map.copyOf(tokenIds),
          idf,
          phrases,
          postings);
    }

    /** The title without its parenthesised nonessential modifiers. */
    static String essentialWords(String text) {
      StringBuilder out = new StringBuilder(text.length());
      int depth = 0;
      for (char c : text.toCharArray()) {
        if (c == '(' || c == '[') depth++;
        else if ((c == ')' || c == ']') && depth > 0) depth--;
        else if (depth == 0) out.append(c);
      }
      return out.toString();
    }
  }

  @Override
  public String toString() {
    return "SuggestionIndex[codes="
        + codes.length
        + ", phrases="
        + phrases.length
        + ", words="
        + idf.length
        + "]";
  }
}
