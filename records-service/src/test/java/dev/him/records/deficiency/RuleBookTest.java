package dev.him.records.deficiency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The rules file: what it must say, and how a mistake in it is reported. */
class RuleBookTest {

  static List<Rule> parse(String json) throws Exception {
    return RuleBook.parse(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
  }

  static String rule(String body) {
    return "{\"rules\":[{" + body + "}]}";
  }

  @Test
  void theShippedRulesCoverTheRequiredDeficiencies() throws Exception {
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("deficiency-rules.json")) {
      Map<String, String> kinds =
          RuleBook.parse(in, "deficiency-rules.json").stream()
              .collect(Collectors.toMap(Rule::code, Rule::kind));
      assertThat(kinds)
          .containsEntry("discharge-summary-missing", "required-document")
          .containsEntry("history-physical-missing", "required-document")
          .containsEntry("document-unsigned", "unsigned-document")
          .containsEntry("attending-missing", "required-participant")
          .containsEntry("discharge-before-admission", "period-order")
          .containsEntry("diagnosis-missing", "required-diagnosis");
    }
  }

  @Test
  void aRuleIsReadWithItsParameters() throws Exception {
    Rule r =
        parse(
                rule(
                    "\"code\":\"op-note-missing\",\"description\":\"Operative report missing\","
                        + "\"severity\":\"medium\",\"appliesTo\":[\"IMP\"],"
                        + "\"kind\":\"required-document\","
                        + "\"parameters\":{\"documentTypes\":[\"11504-8\"]}"))
            .get(0);
    assertThat(r.code()).isEqualTo("op-note-missing");
    assertThat(r.enabled()).isTrue();
    assertThat(r.appliesTo("IMP")).isTrue();
    assertThat(r.appliesTo("AMB")).isFalse();
    assertThat(r.check()).isEqualTo(new Check.RequiredDocument(List.of("11504-8")));
  }

  @Test
  void mistakesAreNamedByRuleAndField() {
    String base = "\"code\":\"x\",\"description\":\"X\",\"severity\":\"high\",";
    assertThatThrownBy(() -> parse(rule(base + "\"kind\":\"made-up\"")))
        .hasMessageContaining("rule x.kind made-up is unknown");
    assertThatThrownBy(
            () ->
                parse(
                    rule(
                        base
                            + "\"kind\":\"required-document\",\"parameters\":{\"documentType\":[\"1\"]}")))
        .hasMessageContaining("rule x.parameters")
        .hasMessageContaining("documentType");
    assertThatThrownBy(() -> parse(rule(base + "\"kind\":\"required-document\"")))
        .hasMessageContaining("documentTypes: at least one");
    assertThatThrownBy(() -> parse(rule(base + "\"kind\":\"required-participant\"")))
        .hasMessageContaining("participantTypes");
    assertThatThrownBy(
            () ->
                parse(
                    rule(
                        "\"code\":\"x\",\"description\":\"X\",\"severity\":\"urgent\",\"kind\":\"period-order\"")))
        .hasMessageContaining("rule x.severity");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"rules\":[{"
                        + base
                        + "\"kind\":\"period-order\"},{"
                        + base
                        + "\"kind\":\"period-order\"}]}"))
        .hasMessageContaining("appears twice");
    assertThatThrownBy(() -> parse(rule(base + "\"kind\":\"period-order\",\"applies\":[\"IMP\"]")))
        .hasMessageContaining("applies is not a rule field");
    assertThatThrownBy(() -> parse("{\"rule\":[]}")).hasMessageContaining("\"rules\" array");
  }
}
