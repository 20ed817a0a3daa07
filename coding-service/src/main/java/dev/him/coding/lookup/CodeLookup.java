package dev.him.coding.lookup;

import dev.him.coding.search.CodeIndex;
import dev.him.coding.search.CodeIndexes;
import dev.him.coding.terminology.CodeSystemId;
import dev.him.coding.terminology.ReleaseRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks a code up in one release: from the release's in-memory index (the same one search uses, so
 * both always agree), plus the ICD-10-CM tabular notes from the database.
 */
@ApplicationScoped
public class CodeLookup {
  @Inject CodeIndexes indexes;
  @Inject TabularNotes notes;

  /**
   * @param code as stored: no dot, upper case (see {@link CodeSystemId#normalize})
   * @param withNotes whether to read the ICD-10-CM tabular notes (the FHIR operations do not show
   *     them)
   */
  public Optional<CodeDetails> find(ReleaseRef release, String code, boolean withNotes) {
    CodeIndex index = indexes.get(release);
    int doc = index.find(code);
    if (doc < 0) return Optional.empty();
    CodeSystemId system = release.system();
    boolean icd10cm = system == CodeSystemId.ICD10CM;
    int parent = index.parent(doc);
    List<CodeDetails.CodeRef> children = new ArrayList<>();
    for (int child : index.children(doc)) children.add(ref(index, child));
    TabularNotes.Applying applying =
        icd10cm && withNotes && release.notes() != null
            ? notes.forCode(release.notes(), code)
            : null;
    return Optional.of(
        new CodeDetails(
            system.codeSystem(),
            system.display(code),
            code,
            index.billable(doc),
            index.shortDescription(doc),
            index.longDescription(doc),
            release.version(),
            release.effectiveFrom(),
            parent < 0 ? null : ref(index, parent),
            icd10cm ? children : null,
            applying == null ? null : release.notesVersion(),
            applying == null ? null : applying.notes(),
            applying == null ? null : applying.seventh()));
  }

  private static CodeDetails.CodeRef ref(CodeIndex index, int doc) {
    String code = index.code(doc);
    return new CodeDetails.CodeRef(
        index.system().display(code), code, index.billable(doc), index.longDescription(doc));
  }
}
