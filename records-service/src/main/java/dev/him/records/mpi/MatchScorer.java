package dev.him.records.mpi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Scores how likely two patients are one person: a sum of per-field weights in the manner of
 * Fellegi and Sunter, positive where the fields agree (more for rarer, more telling agreement) and
 * negative where they disagree in a way one person's records seldom do (two birth dates, two social
 * security numbers). A phone or address that differs counts nothing: people move.
 *
 * <p>With every field present and exact the score is 22; "Jon Smyth" and "John Smith" with the same
 * birth date, sex and phone score 13; the same name with another birth date scores 5.
 */
final class MatchScorer {
  static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();
  static final LevenshteinDistance LEVENSHTEIN = LevenshteinDistance.getDefaultInstance();

  /** Names at least this close (Jaro-Winkler) are "similar": typos, dropped letters. */
  static final double SIMILAR_NAME = 0.88;

  /** The score and what each field contributed. */
  record Result(double score, Map<String, FieldEvidence> fields) {}

  private MatchScorer() {}

  static Result score(MatchProfile a, MatchProfile b) {
    Map<String, FieldEvidence> fields = new LinkedHashMap<>();
    fields.put(
        "family",
        names(
            a.families(),
            b.families(),
            false,
            Map.of("exact", 4.0, "phonetic", 3.0, "similar", 2.5),
            -2.0));
    fields.put(
        "given",
        names(
            a.givens(),
            b.givens(),
            true,
            Map.of("exact", 3.0, "phonetic", 2.0, "similar", 1.5, "initial", 1.0),
            -1.5));
    fields.put("birthDate", birthDate(a.birthDate(), b.birthDate()));
    fields.put("gender", gender(a.gender(), b.gender()));
    fields.put("phone", phone(a.phones(), b.phones()));
    fields.put("address", address(a.addresses(), b.addresses()));
    fields.put("identifier", identifier(a.identifiers(), b.identifiers()));
    double sum = fields.values().stream().mapToDouble(FieldEvidence::weight).sum();
    return new Result(Math.round(sum * 100) / 100.0, fields);
  }

  private static final List<String> NAME_RANK = List.of("exact", "phonetic", "similar", "initial");

  /** The best agreement between any name of one and any name of the other. */
  private static FieldEvidence names(
      List<String> xs,
      List<String> ys,
      boolean initials,
      Map<String, Double> weights,
      double different) {
    if (xs.isEmpty() || ys.isEmpty()) return missing();
    int best = NAME_RANK.size();
    for (String x : xs) {
      for (String y : ys) {
        int rank = NAME_RANK.indexOf(nameAgreement(x, y, initials));
        if (rank >= 0) best = Math.min(best, rank);
      }
    }
    if (best >= NAME_RANK.size()) return new FieldEvidence("different", different);
    String agreement = NAME_RANK.get(best);
    return new FieldEvidence(agreement, weights.get(agreement));
  }

  /** exact, phonetic, similar, initial, or different (not in {@link #NAME_RANK}). */
  static String nameAgreement(String x, String y, boolean initials) {
    if (x.equals(y)) return "exact";
    if (phonetic(x, y)) return "phonetic";
    if (JARO_WINKLER.apply(x, y) >= SIMILAR_NAME) return "similar";
    if (initials && (x.length() == 1 || y.length() == 1) && x.charAt(0) == y.charAt(0)) {
      return "initial";
    }
    return "different";
  }

  /** Sound alike: a Double Metaphone code (primary or alternate) in common. */
  static boolean phonetic(String x, String y) {
    Set<String> cx = codes(x);
    cx.retainAll(codes(y));
    return !cx.isEmpty();
  }

  private static Set<String> codes(String s) {
    Set<String> codes = new TreeSet<>();
    String primary = MatchProfile.PHONETIC.doubleMetaphone(s);
    String alternate = MatchProfile.PHONETIC.doubleMetaphone(s, true);
    if (primary != null && !primary.isEmpty()) codes.add(primary);
    if (alternate != null && !alternate.isEmpty()) codes.add(alternate);
    return codes;
  }

  private static FieldEvidence birthDate(String x, String y) {
    if (x == null || y == null) return missing();
    if (x.equals(y)) return new FieldEvidence("exact", 4.0);
    if (x.length() == 10 && y.length() == 10) {
      String dx = x.replace("-", "");
      String dy = y.replace("-", "");
      boolean swapped =
          x.substring(0, 4).equals(y.substring(0, 4))
              && x.substring(5, 7).equals(y.substring(8, 10))
              && x.substring(8, 10).equals(y.substring(5, 7));
      if (swapped || LEVENSHTEIN.apply(dx, dy) <= 1) return new FieldEvidence("similar", 1.5);
    } else if (x.startsWith(y) || y.startsWith(x)) {
      // 1980 and 1980-02-29: the shorter says less, but does not contradict
      return new FieldEvidence("partial", 1.0);
    }
    return new FieldEvidence("different", -3.0);
  }

  private static FieldEvidence gender(String x, String y) {
    if (x == null || y == null) return missing();
    return x.equals(y) ? new FieldEvidence("exact", 1.0) : new FieldEvidence("different", -2.0);
  }

  private static FieldEvidence phone(List<String> xs, List<String> ys) {
    if (xs.isEmpty() || ys.isEmpty()) return missing();
    return xs.stream().anyMatch(ys::contains)
        ? new FieldEvidence("exact", 3.0)
        : new FieldEvidence("different", 0.0);
  }

  private static FieldEvidence address(List<MatchProfile.Place> xs, List<MatchProfile.Place> ys) {
    if (xs.isEmpty() || ys.isEmpty()) return missing();
    FieldEvidence best = new FieldEvidence("different", 0.0);
    for (MatchProfile.Place x : xs) {
      for (MatchProfile.Place y : ys) {
        boolean samePostal = !x.postalCode().isEmpty() && x.postalCode().equals(y.postalCode());
        boolean sameTown =
            samePostal
                || (!x.city().isEmpty() && x.city().equals(y.city()))
                || x.postalCode().isEmpty()
                || y.postalCode().isEmpty();
        boolean lines = !x.line().isEmpty() && !y.line().isEmpty();
        FieldEvidence e;
        if (lines && x.line().equals(y.line()) && sameTown) {
          e = new FieldEvidence("exact", 2.0);
        } else if (lines && sameTown && JARO_WINKLER.apply(x.line(), y.line()) >= 0.9) {
          e = new FieldEvidence("similar", 1.0);
        } else if (samePostal) {
          e = new FieldEvidence("partial", 0.5);
        } else {
          continue;
        }
        if (e.weight() > best.weight()) best = e;
      }
    }
    return best;
  }

  /**
   * Identifiers are unique per system, so two patients rarely share one; what tells is the same
   * value under another (or no) system, a one-character slip in the same system, or two different
   * values in one system, which speaks against a match.
   */
  private static FieldEvidence identifier(List<MatchProfile.Id> xs, List<MatchProfile.Id> ys) {
    FieldEvidence best = null;
    boolean conflict = false;
    for (MatchProfile.Id x : xs) {
      for (MatchProfile.Id y : ys) {
        boolean sameSystem = !x.system().isEmpty() && x.system().equals(y.system());
        FieldEvidence e = null;
        if (x.value().equals(y.value())) {
          e = sameSystem ? new FieldEvidence("exact", 5.0) : new FieldEvidence("exact-value", 2.0);
        } else if (sameSystem
            && Math.min(x.value().length(), y.value().length()) >= 5
            && LEVENSHTEIN.apply(x.value(), y.value()) <= 1) {
          e = new FieldEvidence("similar", 1.5);
        } else if (sameSystem) {
          conflict = true;
        }
        if (e != null && (best == null || e.weight() > best.weight())) best = e;
      }
    }
    if (best != null) return best;
    return conflict ? new FieldEvidence("different", -3.0) : missing();
  }

  private static FieldEvidence missing() {
    return new FieldEvidence("missing", 0.0);
  }
}
