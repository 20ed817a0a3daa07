package dev.him.coding.search;

import dev.him.coding.terminology.CodeSystemId;
import dev.him.coding.terminology.ReleaseRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * Searches one release of a code system by code or by words.
 *
 * <p>Matching: the whole query as a code (with or without the dot, any case) finds that code; as a
 * code prefix of at least two characters with a digit ("E11", "e11.6", "0DT", "J1") it finds the
 * codes starting with it. Otherwise, and as well, the query is cut into words (see {@link Words}),
 * and an entry matches when every word starts a word of its long or short description or, for
 * ICD-10-CM, of its inclusion terms, in any order; a word shaped like a code prefix ("e11 kidney")
 * also matches by the entry's code.
 *
 * <p>Ranking, each rule breaking the ties of the ones before:
 *
 * <ol>
 *   <li>the code typed exactly; then codes starting with it; then word matches;
 *   <li>billable before non-billable (headers);
 *   <li>(words) fewer query words found only in the short description or inclusion terms rather
 *       than in the long description;
 *   <li>(words) fewer query words matching only the start of a longer word ("pain" for "painful")
 *       rather than a whole word;
 *   <li>(words) closer together: fewer other words between the query words' first places in the
 *       long description;
 *   <li>(words) earlier: the first matched word's place in the long description ("Pneumonia,
 *       unspecified organism" before "Typhoid pneumonia");
 *   <li>shorter: fewer words in the long description (for code prefixes: fewer characters);
 *   <li>the release's order (ICD-10-CM: tabular order; the others: by code).
 * </ol>
 */
@ApplicationScoped
public class CodeSearch {
  @Inject CodeIndexes indexes;

  public SearchPage search(ReleaseRef release, String q, Boolean billable, int offset, int limit) {
    CodeIndex index = indexes.get(release);
    CodeIndex.Result r = index.search(q, billable, offset, limit);
    CodeSystemId system = release.system();
    List<SearchPage.Item> items = new ArrayList<>(r.docs().length);
    for (int i = 0; i < r.docs().length; i++) {
      int doc = r.docs()[i];
      String code = index.code(doc);
      items.add(
          new SearchPage.Item(
              system.display(code),
              code,
              index.billable(doc),
              index.longDescription(doc),
              switch (r.match()[i]) {
                case CODE -> "code";
                case CODE_PREFIX -> "code-prefix";
                case WORDS -> "words";
              }));
    }
    return new SearchPage(
        system.codeSystem(), release.version(), q, r.total(), offset, limit, items);
  }
}
