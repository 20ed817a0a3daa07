package dev.him.coding.suggest;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Computer-assisted coding: finds ICD-10-CM codes whose title or inclusion term is (nearly) all
 * there in a piece of clinical text — a recorded condition, the encounter reason, a sentence of a
 * document — and says which words matched where. Words are weighted by rarity, so "hypertension"
 * counts for more than "disease". A code the sender already recorded as ICD-10-CM is proposed as it
 * is. The coder decides; nothing here codes a case.
 */
@ApplicationScoped
public class CodeSuggester {
  private static final Logger LOG = Logger.getLogger(CodeSuggester.class);
  static final String ICD10CM_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm";
  private static final Pattern SENTENCES = Pattern.compile("[.;:!?\\n\\r]+");

  /** Phrases kept per sentence: enough for a coder to choose, few enough to read. */
  private static final int PER_SEGMENT = 3;

  @Inject AgroalDataSource dataSource;

  /** Share of a title's (rarity-weighted) words that must be found in one sentence. */
  @ConfigProperty(name = "him.coding.suggestions.min-title-coverage", defaultValue = "0.8")
  double minCoverage;

  private final Map<String, SuggestionIndex> indexes = new ConcurrentHashMap<>();

  /**
   * Suggestions for {@code sources}, best first.
   *
   * @param version the ICD-10-CM release the case is coded in (FY2025)
   * @param tabularVersion the tabular release whose inclusion terms to use, or null for titles only
   */
  public List<Suggestion> suggest(
      String version, String tabularVersion, List<SourceText> sources, int limit) {
    SuggestionIndex index = index(version, tabularVersion);
    Map<Integer, List<Suggestion.Evidence>> evidence = new LinkedHashMap<>();
    Map<Integer, Double> best = new HashMap<>();
    for (SourceText source : sources) {
      if (ICD10CM_SYSTEM.equals(source.system()) && source.code() != null) {
        int id = index.codeId(dotted(source.code()));
        if (id >= 0) {
          add(
              evidence,
              best,
              id,
              1.0,
              new Suggestion.Evidence(
                  source.source(),
                  source.label(),
                  List.of(source.code()),
                  index.display(id),
                  "recordedCode",
                  source.text()));
        }
      }
      if (source.text() == null || source.text().isBlank()) continue;
      for (String sentence : SENTENCES.split(source.text())) {
        match(index, source, sentence.strip(), evidence, best);
      }
    }
    List<Suggestion> out = new ArrayList<>();
    for (var e : evidence.entrySet()) {
      int code = e.getKey();
      List<Suggestion.Evidence> found = e.getValue();
      long distinctSources = found.stream().map(Suggestion.Evidence::source).distinct().count();
      // corroboration from further sources raises the score a little, never above 1
      double score = Math.min(1.0, best.get(code) + 0.05 * (distinctSources - 1));
      out.add(new Suggestion(index.code(code), index.display(code), round(score), found));
    }
    out.sort(
        Comparator.comparingDouble(Suggestion::score)
            .reversed()
            .thenComparing(s -> -s.evidence().size())
            .thenComparing(Suggestion::code));
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }

  private void match(
      SuggestionIndex index,
      SourceText source,
      String sentence,
      Map<Integer, List<Suggestion.Evidence>> evidence,
      Map<Integer, Double> best) {
    List<String> words = Words.of(sentence);
    if (words.isEmpty()) return;
    Map<Integer, String> tokens = new LinkedHashMap<>();
    float sentenceWeight = 0;
    for (String w : words) {
      int t = index.tokenId(w);
      if (t >= 0 && tokens.putIfAbsent(t, w) == null) sentenceWeight += index.idf(t);
    }
    if (tokens.isEmpty()) return;
    Map<Integer, Float> matched = new HashMap<>();
    for (int t : tokens.keySet()) {
      float w = index.idf(t);
      for (int p : index.postings(t)) matched.merge(p, w, Float::sum);
    }
    List<double[]> hits = new ArrayList<>(); // phrase id, score, matched weight
    for (var m : matched.entrySet()) {
      SuggestionIndex.Phrase phrase = index.phrase(m.getKey());
      double coverage = m.getValue() / phrase.requiredWeight();
      if (coverage + 1e-6 < minCoverage) continue;
      double ofSentence = Math.min(1.0, m.getValue() / sentenceWeight);
      hits.add(new double[] {m.getKey(), coverage * (0.6 + 0.4 * ofSentence), m.getValue()});
    }
    // best score first; among equals the phrase that matched more (more specific) wins
    hits.sort(
        Comparator.<double[]>comparingDouble(h -> -h[1])
            .thenComparingDouble(h -> -h[2])
            .thenComparingDouble(h -> h[0]));
    Set<Integer> codesTaken = new LinkedHashSet<>();
    for (double[] h : hits) {
      if (codesTaken.size() == PER_SEGMENT) break;
      SuggestionIndex.Phrase phrase = index.phrase((int) h[0]);
      if (!codesTaken.add(phrase.code())) continue;
      List<String> matchedWords = new ArrayList<>();
      for (int t : phrase.required()) {
        String w = tokens.get(t);
        if (w != null) matchedWords.add(w);
      }
      add(
          evidence,
          best,
          phrase.code(),
          h[1],
          new Suggestion.Evidence(
              source.source(),
              source.label(),
              matchedWords,
              phrase.text(),
              phrase.kind(),
              excerpt(sentence)));
    }
  }

  private static void add(
      Map<Integer, List<Suggestion.Evidence>> evidence,
      Map<Integer, Double> best,
      int code,
      double score,
      Suggestion.Evidence found) {
    evidence.computeIfAbsent(code, k -> new ArrayList<>()).add(found);
    best.merge(code, score, Math::max);
  }

  private static String excerpt(String sentence) {
    return sentence.length() <= 200 ? sentence : sentence.substring(0, 200) + "…";
  }

  private static double round(double score) {
    return Math.round(score * 1000) / 1000.0;
  }

  static String dotted(String code) {
    String c = code.replace(".", "").toUpperCase();
    return c.length() > 3 ? c.substring(0, 3) + "." + c.substring(3) : c;
  }

  /** The index of a release, built once on first use (a loaded release never changes). */
  SuggestionIndex index(String version, String tabularVersion) {
    return indexes.computeIfAbsent(
        version + "/" + tabularVersion, k -> build(version, tabularVersion));
  }

  private SuggestionIndex build(String version, String tabularVersion) {
    long start = System.nanoTime();
    SuggestionIndex.Builder builder = new SuggestionIndex.Builder();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement q =
          c.prepareStatement(
              "select display_code, long_description from icd10cm_code"
                  + " where code_set_version = ? and billable order by order_number")) {
        q.setString(1, version);
        q.setFetchSize(5000);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) builder.code(rs.getString(1), rs.getString(2));
        }
      }
      if (tabularVersion != null) {
        try (PreparedStatement q =
            c.prepareStatement(
                "select code, kind, text from icd10cm_note where tabular_version = ?"
                    + " and kind in ('inclusionTerm', 'includes') order by code, kind, ordinal")) {
          q.setString(1, tabularVersion);
          q.setFetchSize(5000);
          try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
              builder.inclusionTerm(dotted(rs.getString(1)), rs.getString(2), rs.getString(3));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "reading ICD-10-CM " + version + " for suggestions failed", e);
    }
    SuggestionIndex index = builder.build();
    LOG.infof(
        "suggestion index for ICD-10-CM %s (notes %s): %s built in %d ms",
        version, tabularVersion, index, (System.nanoTime() - start) / 1_000_000);
    return index;
  }
}
