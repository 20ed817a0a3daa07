package dev.him.coding.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.him.coding.terminology.CodeSystemId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The index's rules on small releases built here, one rule per test (the full ICD-10-CM release is
 * searched through the API in CodeSearchResourceTest). Descriptions are real FY2025 ones.
 */
class CodeIndexTest {

  static CodeIndex icd10cm(String... entries) {
    CodeIndex.Builder b = new CodeIndex.Builder(CodeSystemId.ICD10CM, "T", true);
    for (String e : entries) {
      String[] f = e.split("\\|");
      b.add(f[0], f[1].equals("1"), f.length > 3 ? f[3] : null, f[2]);
    }
    return b.build();
  }

  static List<String> codes(CodeIndex index, CodeIndex.Result r) {
    List<String> out = new ArrayList<>();
    for (int doc : r.docs()) out.add(index.code(doc));
    return out;
  }

  @Test
  void wordsAreLowerCaseWithoutAccentsSplitAtAnythingElse() {
    assertThat(Words.of("Crohn's disease, w/o Ménière"))
        .containsExactly("crohn", "s", "disease", "w", "o", "meniere");
    assertThat(Words.of("Type 2 diabetes mellitus"))
        .containsExactly("type", "2", "diabetes", "mellitus");
    assertThat(Words.of("  ")).isEmpty();
  }

  @Test
  void codesAreNormalisedOnlyWhenShapedLikeTheSystemsCodes() {
    CodeSystemId cm = CodeSystemId.ICD10CM;
    assertThat(cm.normalize("e11.9")).contains("E119");
    assertThat(cm.normalize("C4A.0")).contains("C4A0");
    assertThat(cm.normalize("S72.001A")).contains("S72001A");
    for (String bad : new String[] {"E1", "E1.19", "E11..9", "E11.", "S72.001AB", "119", "E11-9"}) {
      assertThat(cm.normalize(bad)).as(bad).isEmpty();
    }
    assertThat(cm.codePrefix("e11")).contains("E11");
    assertThat(cm.codePrefix("E1")).contains("E1");
    assertThat(cm.codePrefix("diabetes")).isEmpty();
    assertThat(cm.codePrefix("E")).isEmpty();
    assertThat(CodeSystemId.ICD10PCS.normalize("0dtj4zz")).contains("0DTJ4ZZ");
    assertThat(CodeSystemId.ICD10PCS.normalize("0DTJ4ZO")).isEmpty(); // no O in ICD-10-PCS
    assertThat(CodeSystemId.ICD10PCS.normalize("0DT.J4ZZ")).isEmpty();
    assertThat(CodeSystemId.HCPCS.normalize("j1100")).contains("J1100");
    assertThat(CodeSystemId.HCPCS.normalize("lt")).contains("LT");
    assertThat(CodeSystemId.HCPCS.normalize("J110")).isEmpty();
    assertThat(cm.display("E119")).isEqualTo("E11.9");
    assertThat(CodeSystemId.ICD10PCS.display("0DTJ4ZZ")).isEqualTo("0DTJ4ZZ");
  }

  @Test
  void wholeWordsBeforePrefixesThenEarlierThenShorter() {
    CodeIndex index =
        icd10cm(
            "N5312|1|Painful ejaculation",
            "N5082|1|Scrotal pain",
            "R52|1|Pain, unspecified",
            "R1084|1|Generalized abdominal pain");
    CodeIndex.Result r = index.search("pain", null, 0, 10);
    assertThat(r.total()).isEqualTo(4);
    // R52 starts with the word, N50.82 has it second, R10.84 third; "Painful" only starts a word
    assertThat(codes(index, r)).containsExactly("R52", "N5082", "R1084", "N5312");
  }

  @Test
  void closerTogetherBeforeFartherApart() {
    CodeIndex index =
        icd10cm(
            "H3523|1|Other non-diabetic proliferative retinopathy, bilateral",
            "E10311|1|Type 1 diabetes mellitus with unspecified diabetic retinopathy with macular"
                + " edema");
    // "diabetic retinopathy" side by side in E10.311; a word apart in H35.23
    assertThat(codes(index, index.search("diabetic retinopathy", null, 0, 10)))
        .containsExactly("E10311", "H3523");
  }

  @Test
  void billableBeforeHeadersThenTheReleaseOrderOnTies() {
    CodeIndex index =
        icd10cm(
            "E11|0|Type 2 diabetes mellitus",
            "E119|1|Type 2 diabetes mellitus without complications",
            "E1165|1|Type 2 diabetes mellitus with hyperglycemia");
    // E11.9 and E11.65: same place, same length: the order they were given in
    assertThat(codes(index, index.search("type 2 diabetes", null, 0, 10)))
        .containsExactly("E119", "E1165", "E11");
    assertThat(index.search("diabetes", true, 0, 10).total()).isEqualTo(2);
    assertThat(codes(index, index.search("diabetes", false, 0, 10))).containsExactly("E11");
  }

  @Test
  void wordsInTheTitleBeforeWordsOnlyInInclusionTermsOrTheShortDescription() {
    CodeIndex.Builder b = new CodeIndex.Builder(CodeSystemId.ICD10CM, "T", true);
    b.addSearchText("R519", "Facial pain NOS");
    b.add("R519", true, null, "Headache, unspecified");
    b.add("G501", true, null, "Atypical facial pain");
    b.add(
        "E1100",
        true,
        "Type 2 diab w hyprosm w/o nonket hyprgly-hypros coma (NKHHC)",
        "Type 2 diabetes mellitus with hyperosmolarity without nonketotic"
            + " hyperglycemic-hyperosmolar coma (NKHHC)");
    CodeIndex index = b.build();
    // R51.9 comes first in the release, but "facial pain" is in G50.1's title
    assertThat(codes(index, index.search("facial pain", null, 0, 10)))
        .containsExactly("G501", "R519");
    // the short description's abbreviations find the code too
    assertThat(codes(index, index.search("hyprosm", null, 0, 10))).containsExactly("E1100");
  }

  @Test
  void inclusionTermsAreSearchedAsOtherText() {
    CodeIndex.Builder b = new CodeIndex.Builder(CodeSystemId.ICD10CM, "T", true);
    b.addSearchText("S7200", "Fracture of hip NOS");
    b.add("S7200", false, null, "Fracture of unspecified part of neck of femur");
    b.add("S7290", false, null, "Fracture of unspecified part of femur");
    CodeIndex index = b.build();
    assertThat(codes(index, index.search("hip fracture", null, 0, 10))).containsExactly("S7200");
  }

  @Test
  void theCodeFirstThenCodesStartingWithItBillableFirst() {
    CodeIndex index =
        icd10cm(
            "E11|0|Type 2 diabetes mellitus",
            "E116|0|Type 2 diabetes mellitus with other specified complications",
            "E1165|1|Type 2 diabetes mellitus with hyperglycemia",
            "E118|1|Type 2 diabetes mellitus with unspecified complications",
            "E119|1|Type 2 diabetes mellitus without complications",
            "I10|1|Essential (primary) hypertension");
    CodeIndex.Result r = index.search("E11", null, 0, 10);
    assertThat(codes(index, r)).containsExactly("E11", "E118", "E119", "E1165", "E116");
    assertThat(r.match()[0]).isEqualTo(CodeIndex.Match.CODE);
    assertThat(r.match()[1]).isEqualTo(CodeIndex.Match.CODE_PREFIX);
    assertThat(codes(index, index.search("e11.9", null, 0, 10))).containsExactly("E119");
    // a code-like word among words narrows by code
    assertThat(codes(index, index.search("e11 hyperglycemia", null, 0, 10)))
        .containsExactly("E1165");
    // paging over the ranked list
    assertThat(codes(index, index.search("E11", null, 2, 2))).containsExactly("E119", "E1165");
    assertThat(index.search("E11", null, 10, 5).docs()).isEmpty();
    assertThat(index.search("E11", null, 10, 5).total()).isEqualTo(5);
  }

  @Test
  void aOneCharacterWordAloneMatchesWholeWordsButStaysAPrefixBesideOthers() {
    CodeIndex index =
        icd10cm(
            "K5090|1|Crohn's disease, unspecified, without complications",
            "A250|1|Spirillosis",
            "N1830|1|Chronic kidney disease, stage 3 unspecified",
            "N1831|1|Chronic kidney disease, stage 3a");
    assertThat(codes(index, index.search("s", null, 0, 10))).containsExactly("K5090");
    assertThat(codes(index, index.search("3", null, 0, 10))).containsExactly("N1830");
    assertThat(codes(index, index.search("stage 3", null, 0, 10)))
        .containsExactly("N1830", "N1831");
  }

  @Test
  void theParentIsTheNearestShorterCodePresent() {
    CodeIndex index =
        icd10cm(
            "S72|0|Fracture of femur",
            "S720|0|Fracture of head and neck of femur",
            // S72.00 left out: S72.001 hangs from S72.0
            "S72001|0|Fracture of unspecified part of neck of right femur",
            "S72001A|1|Fracture of unspecified part of neck of right femur, initial encounter");
    assertThat(index.code(index.parent(index.find("S72001A")))).isEqualTo("S72001");
    assertThat(index.code(index.parent(index.find("S72001")))).isEqualTo("S720");
    assertThat(index.parent(index.find("S72"))).isEqualTo(-1);
    int[] children = index.children(index.find("S720"));
    assertThat(children).hasSize(1);
    assertThat(index.code(children[0])).isEqualTo("S72001");
    assertThat(index.find("S7200")).isEqualTo(-1);
  }

  @Test
  void flatSystemsHaveNoParents() {
    CodeIndex.Builder b = new CodeIndex.Builder(CodeSystemId.HCPCS, "T", false);
    b.add("A4", false, "Dressing for four wounds", "Dressing for four wounds");
    b.add(
        "A4206",
        true,
        "1 cc sterile syringe&needle",
        "Syringe with needle, sterile, 1 cc or less, each");
    CodeIndex index = b.build();
    assertThat(index.parent(index.find("A4206"))).isEqualTo(-1);
    assertThat(index.shortDescription(index.find("A4206")))
        .isEqualTo("1 cc sterile syringe&needle");
  }

  @Test
  void aCodeListedTwiceIsRefused() {
    CodeIndex.Builder b = new CodeIndex.Builder(CodeSystemId.ICD10CM, "T", true);
    b.add("E119", true, null, "a").add("E119", true, null, "b");
    assertThatThrownBy(b::build).hasMessageContaining("E119 is listed twice");
  }
}
