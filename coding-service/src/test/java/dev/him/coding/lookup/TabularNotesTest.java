package dev.him.coding.lookup;

import static dev.him.coding.testing.SharedCodeSets.count;
import static dev.him.coding.testing.SharedCodeSets.execute;
import static dev.him.coding.testing.SharedCodeSets.markLoaded;
import static dev.him.coding.testing.SharedCodeSets.requireIcd10Cm;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.him.coding.codeset.CodeSetVersions;
import dev.him.coding.terminology.Releases;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tabular notes and inclusion terms with the lookup and search. Until the tabular importer is
 * merged, the rows are a handful copied verbatim from icd10cm_tabular_2023.xml (chapters 4 and 19,
 * section S70-S79, categories E11 and S72, subcategories S72.0 and S72.00), stored as that importer
 * stores them (see V2: code without dot, section id, chapter:N; kind as the XML element); when a
 * tabular release is loaded already, the test runs on it instead and inserts nothing.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestSecurity(user = "coder", roles = "coder")
class TabularNotesTest {
  static final String TABULAR = "FY2023";

  /** code, kind, ordinal, 7th character, text: from icd10cm_tabular_2023.xml. */
  static final List<Object[]> ROWS =
      List.of(
          row(
              "chapter:4",
              "excludes1",
              1,
              null,
              "transitory endocrine and metabolic disorders specific to newborn (P70-P74)"),
          row(
              "chapter:4",
              "notes",
              1,
              null,
              "All neoplasms, whether functionally active or not, are classified in Chapter 2. "
                  + " Appropriate codes in this chapter (i.e. E05.8, E07.0, E16-E31, E34.-) may be"
                  + " used as additional codes to indicate either functional activity by"
                  + " neoplasms and ectopic endocrine tissue or hyperfunction and hypofunction of"
                  + " endocrine glands associated with neoplasms and other conditions classified"
                  + " elsewhere."),
          row("E11", "includes", 1, null, "diabetes (mellitus) due to insulin secretory defect"),
          row("E11", "includes", 2, null, "diabetes NOS"),
          row("E11", "includes", 3, null, "insulin resistant diabetes (mellitus)"),
          row("E11", "excludes1", 1, null, "diabetes mellitus due to underlying condition (E08.-)"),
          row("E11", "excludes1", 2, null, "drug or chemical induced diabetes mellitus (E09.-)"),
          row("E11", "excludes1", 3, null, "gestational diabetes (O24.4-)"),
          row("E11", "excludes1", 4, null, "neonatal diabetes mellitus (P70.2)"),
          row("E11", "excludes1", 5, null, "postpancreatectomy diabetes mellitus (E13.-)"),
          row("E11", "excludes1", 6, null, "postprocedural diabetes mellitus (E13.-)"),
          row("E11", "excludes1", 7, null, "secondary diabetes mellitus NEC (E13.-)"),
          row("E11", "excludes1", 8, null, "type 1 diabetes mellitus (E10.-)"),
          row("E11", "useAdditionalCode", 1, null, "code to identify control using:"),
          row("E11", "useAdditionalCode", 2, null, "insulin (Z79.4)"),
          row("E11", "useAdditionalCode", 3, null, "oral antidiabetic drugs (Z79.84)"),
          row("E11", "useAdditionalCode", 4, null, "oral hypoglycemic drugs (Z79.84)"),
          row("chapter:19", "excludes1", 1, null, "birth trauma (P10-P15)"),
          row("chapter:19", "excludes1", 2, null, "obstetric trauma (O70-O71)"),
          row(
              "chapter:19",
              "useAdditionalCode",
              1,
              null,
              "code to identify any retained foreign body, if applicable (Z18.-)"),
          row("S70-S79", "excludes2", 1, null, "burns and corrosions (T20-T32)"),
          row("S70-S79", "excludes2", 2, null, "frostbite (T33-T34)"),
          row("S70-S79", "excludes2", 3, null, "snake bite (T63.0-)"),
          row("S70-S79", "excludes2", 4, null, "venomous insect bite or sting (T63.4-)"),
          row("S72", "excludes1", 1, null, "traumatic amputation of hip and thigh (S78.-)"),
          row("S72", "excludes2", 1, null, "fracture of lower leg and ankle (S82.-)"),
          row(
              "S72",
              "notes",
              1,
              null,
              "A fracture not indicated as displaced or nondisplaced should be coded to displaced"),
          row(
              "S72",
              "sevenChrNote",
              1,
              null,
              "The appropriate 7th character is to be added to all codes from category S72"),
          row("S72", "sevenChrDef", 1, "A", "initial encounter for closed fracture"),
          row("S72", "sevenChrDef", 2, "B", "initial encounter for open fracture type I or II"),
          row(
              "S72",
              "sevenChrDef",
              4,
              "D",
              "subsequent encounter for closed fracture with routine healing"),
          row("S72", "sevenChrDef", 16, "S", "sequela"),
          row("S720", "excludes2", 1, null, "physeal fracture of upper end of femur (S79.0-)"),
          row("S7200", "inclusionTerm", 1, null, "Fracture of hip NOS"),
          row("S7200", "inclusionTerm", 2, null, "Fracture of neck of femur NOS"));

  @Inject AgroalDataSource db;
  @Inject Releases releases;
  boolean inserted;

  static Object[] row(String code, String kind, int ordinal, String seventh, String text) {
    return new Object[] {code, kind, ordinal, seventh, text};
  }

  @BeforeAll
  void notes() throws Exception {
    requireIcd10Cm();
    if (count(
            db,
            "select count(*) from code_set_import where code_system = ?",
            CodeSetVersions.ICD10CM_TABULAR)
        > 0) {
      return; // the real tabular is loaded: test on it
    }
    for (Object[] r : ROWS) {
      execute(
          db,
          "insert into icd10cm_note (tabular_version, code, kind, ordinal, seventh_char, text)"
              + " values (?, ?, ?, ?, ?, ?)",
          TABULAR,
          r[0],
          r[1],
          r[2],
          r[3],
          r[4]);
    }
    markLoaded(
        db,
        CodeSetVersions.ICD10CM_TABULAR,
        TABULAR,
        LocalDate.of(2022, 10, 1),
        null,
        "test: notes of icd10cm_tabular_2023.xml.gz",
        ROWS.size());
    inserted = true;
    releases.refresh();
  }

  @AfterAll
  void removeNotes() throws Exception {
    if (!inserted) return;
    execute(db, "delete from icd10cm_note where tabular_version = ?", TABULAR);
    execute(
        db,
        "delete from code_set_import where code_system = ? and version = ?",
        CodeSetVersions.ICD10CM_TABULAR,
        TABULAR);
    releases.refresh();
  }

  @Test
  void aCodeShowsTheNotesItInheritsSayingWhereEachComesFrom() {
    JsonPath r =
        given().get("/api/coding/icd10cm/codes/E11.9").then().statusCode(200).extract().jsonPath();
    assertThat(r.getString("notesVersion")).isEqualTo(TABULAR);
    List<Map<String, Object>> notes = r.getList("notes");
    assertThat(notes)
        .contains(
            Map.of(
                "kind", "includes",
                "text", "diabetes NOS",
                "from", "E11",
                "level", "category"),
            Map.of(
                "kind", "excludes1",
                "text", "type 1 diabetes mellitus (E10.-)",
                "from", "E11",
                "level", "category"),
            Map.of(
                "kind", "useAdditionalCode",
                "text", "insulin (Z79.4)",
                "from", "E11",
                "level", "category"),
            Map.of(
                "kind", "excludes1",
                "text",
                    "transitory endocrine and metabolic disorders specific to newborn (P70-P74)",
                "from", "chapter 4",
                "level", "chapter"));
    // most specific first: the category's notes before the chapter's
    List<String> levels = r.getList("notes.level");
    assertThat(levels.indexOf("chapter")).isGreaterThan(levels.lastIndexOf("category"));
    // within a level, in the tabular's order: includes, then excludes1, then use additional code
    List<String> kinds = r.getList("notes.findAll { it.from == 'E11' }.kind");
    assertThat(kinds.indexOf("includes")).isLessThan(kinds.indexOf("excludes1"));
    assertThat(kinds.lastIndexOf("excludes1")).isLessThan(kinds.indexOf("useAdditionalCode"));
    assertThat(r.getString("seventhCharacters")).isNull();
    // notes of other chapters and sections do not apply
    assertThat(r.getList("notes.from", String.class))
        .doesNotContain("chapter 19", "S72", "S70-S79");
  }

  @Test
  void sevenCharacterDefinitionsSayWhichOneTheCodeUses() {
    JsonPath r =
        given()
            .get("/api/coding/icd10cm/codes/S72.001A")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(r.getString("seventhCharacters.from")).isEqualTo("S72");
    assertThat(r.getList("seventhCharacters.notes", String.class))
        .contains("The appropriate 7th character is to be added to all codes from category S72");
    assertThat(r.getList("seventhCharacters.definitions"))
        .contains(
            Map.of(
                "character", "A", "text", "initial encounter for closed fracture", "applies", true),
            Map.of(
                "character",
                "D",
                "text",
                "subsequent encounter for closed fracture with routine healing",
                "applies",
                false));
    assertThat(r.getList("seventhCharacters.definitions.findAll { it.applies }.character"))
        .containsExactly("A");
    // the other notes come from every level up to the chapter, each named
    assertThat(r.getList("notes"))
        .contains(
            Map.of(
                "kind",
                "inclusionTerm",
                "text",
                "Fracture of hip NOS",
                "from",
                "S72.00",
                "level",
                "subcategory"),
            Map.of(
                "kind",
                "excludes2",
                "text",
                "physeal fracture of upper end of femur (S79.0-)",
                "from",
                "S72.0",
                "level",
                "subcategory"),
            Map.of(
                "kind",
                "excludes1",
                "text",
                "traumatic amputation of hip and thigh (S78.-)",
                "from",
                "S72",
                "level",
                "category"),
            Map.of(
                "kind",
                "excludes2",
                "text",
                "frostbite (T33-T34)",
                "from",
                "S70-S79",
                "level",
                "section"),
            Map.of(
                "kind",
                "excludes1",
                "text",
                "birth trauma (P10-P15)",
                "from",
                "chapter 19",
                "level",
                "chapter"));
    assertThat(r.getList("notes.kind", String.class)).doesNotContain("sevenChrDef", "sevenChrNote");
    // the header S72.001 lists the definitions without choosing one
    given()
        .get("/api/coding/icd10cm/codes/S72.001")
        .then()
        .statusCode(200)
        .body("seventhCharacters.definitions.findAll { it.applies }.size()", equalTo(0));
  }

  @Test
  void inclusionTermsAreSearchedToo() {
    // "Fracture of hip NOS" is an inclusion term of S72.00, whose descriptions say neither "hip"
    // nor "NOS" ("Fracture of unspecified part of neck of femur")
    JsonPath r = search("hip nos");
    assertThat(r.getList("items.code", String.class)).contains("S72.00");
    assertThat(r.getString("items.find { it.code == 'S72.00' }.description"))
        .isEqualTo("Fracture of unspecified part of neck of femur");
    assertThat(search("fracture hip nos").getList("items.code", String.class)).contains("S72.00");
  }

  static JsonPath search(String q) {
    return given()
        .queryParam("q", q)
        .queryParam("limit", 100)
        .get("/api/coding/icd10cm/search")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
