package dev.him.coding.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.him.coding.testing.Db;
import dev.him.coding.testing.SharedCodeSets;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Suggestions over the real ICD-10-CM FY2025 titles the service loads at start-up. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class CodeSuggesterTest {
  @Inject CodeSuggester suggester;
  @Inject AgroalDataSource ds;

  @BeforeEach
  void requireIcd10Cm() {
    SharedCodeSets.requireIcd10Cm();
  }

  List<Suggestion> suggest(SourceText... sources) {
    return suggester.suggest("FY2025", null, List.of(sources), 10);
  }

  @Test
  void aRecordedConditionFindsTheCodeWhoseTitleItSays() {
    List<Suggestion> s =
        suggest(
            SourceText.text(
                "condition:c1", "Acute bronchitis (disorder)", "Acute bronchitis (disorder)"));
    assertThat(s).isNotEmpty();
    assertThat(s.get(0).code()).isEqualTo("J20.9");
    assertThat(s.get(0).display()).isEqualTo("Acute bronchitis, unspecified");
    Suggestion.Evidence e = s.get(0).evidence().get(0);
    assertThat(e.source()).isEqualTo("condition:c1");
    assertThat(e.words()).containsExactly("acute", "bronchitis");
    assertThat(e.matchedKind()).isEqualTo("title");
    assertThat(e.matchedText()).isEqualTo("Acute bronchitis, unspecified");
    // the less specific "Bronchitis, not specified as acute or chronic" is not preferred
    assertThat(s.stream().map(Suggestion::code)).doesNotContain("J40");
  }

  @Test
  void nonessentialModifiersInParenthesesNeedNotBeSaid() {
    List<Suggestion> s =
        suggest(SourceText.text("reason", "Encounter reason", "Essential hypertension"));
    assertThat(s).extracting(Suggestion::code).first().isEqualTo("I10");
  }

  @Test
  void inclusionTermsOfTheTabularListCountAsWell() {
    SharedCodeSets.requireFile(SharedCodeSets.file("icd10cm_tabular_2023.xml.gz"));
    // I10's title is "Essential (primary) hypertension"; its "includes" note says "hypertension"
    assertThat(
            new Db(ds)
                .count(
                    "select count(*) from icd10cm_note where tabular_version = 'FY2023'"
                        + " and code = 'I10' and kind = 'includes'"))
        .isEqualTo(2);
    List<Suggestion> s =
        suggester.suggest(
            "FY2025",
            "FY2023",
            List.of(SourceText.text("reason", "Encounter reason", "Hypertension")),
            10);
    assertThat(s).isNotEmpty();
    assertThat(s.get(0).code()).isEqualTo("I10");
    assertThat(s.get(0).evidence().get(0).matchedKind()).isEqualTo("includes");
    assertThat(s.get(0).evidence().get(0).matchedText())
        .isEqualTo("hypertension (arterial) (benign) (essential) (malignant) (primary) (systemic)");
  }

  @Test
  void sentencesOfADocumentEachBringTheirCodesWithTheExcerpt() {
    List<Suggestion> s =
        suggest(
            SourceText.text(
                "document:d1",
                "Discharge summary",
                "History of present illness: shortness of breath.\n"
                    + "Assessment: type 2 diabetes mellitus without complications; essential"
                    + " hypertension. Plan: continue metformin."));
    assertThat(s).extracting(Suggestion::code).contains("E11.9", "I10");
    Suggestion diabetes =
        s.stream().filter(x -> x.code().equals("E11.9")).findFirst().orElseThrow();
    assertThat(diabetes.score()).isGreaterThan(0.8);
    assertThat(diabetes.evidence().get(0).excerpt())
        .isEqualTo("type 2 diabetes mellitus without complications");
    assertThat(diabetes.evidence().get(0).words())
        .containsExactly("type", "2", "diabete", "mellitus", "complication");
  }

  @Test
  void aCodeTheSenderRecordedAsIcd10CmIsProposedAsIsAndCorroborationRanksFirst() {
    List<Suggestion> s =
        suggest(
            new SourceText(
                "condition:c2", "Pneumonia", "Pneumonia", CodeSuggester.ICD10CM_SYSTEM, "J18.9"),
            SourceText.text("document:d2", "Progress note", "Acute bronchitis, improving."));
    assertThat(s.get(0).code()).isEqualTo("J18.9");
    assertThat(s.get(0).score()).isEqualTo(1.0);
    assertThat(s.get(0).evidence().get(0).matchedKind()).isEqualTo("recordedCode");
    assertThat(s).extracting(Suggestion::code).contains("J20.9");
  }

  @Test
  void textWithoutClinicalWordsSuggestsNothingAndAnInvalidRecordedCodeIsIgnored() {
    assertThat(
            suggest(
                SourceText.text(
                    "document:d3", "Note", "The weather was sunny and the family visited."),
                new SourceText("condition:c3", "x", null, CodeSuggester.ICD10CM_SYSTEM, "E11")))
        .isEmpty();
  }
}
