package dev.him.audit.settings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rules that keep secrets out of the record, without the application. */
class EffectiveSettingsTest {

  @Test
  void namesWithPasswordSecretOrKeyAreSecrets() {
    assertThat(EffectiveSettings.isSecret("him.audit.signing.private-key-file")).isTrue();
    assertThat(EffectiveSettings.isSecret("him.audit.archive.PASSWORD")).isTrue();
    assertThat(EffectiveSettings.isSecret("HIM_AUDIT_S3_SECRET")).isTrue();
    assertThat(EffectiveSettings.isSecret("him.audit.retention.years")).isFalse();
    assertThat(EffectiveSettings.shown("him.audit.api-key", "abc")).isEqualTo("(redacted)");
    assertThat(EffectiveSettings.shown("him.audit.retention.years", "6")).isEqualTo("6");
  }

  @Test
  void aSecretsFingerprintTellsAChangeWithoutTheValue() {
    String one = SettingsChangeLog.fingerprint("00ff", "hunter2");
    assertThat(one).startsWith("00ff:").doesNotContain("hunter2");
    assertThat(SettingsChangeLog.fingerprint("00ff", "hunter2")).isEqualTo(one);
    assertThat(SettingsChangeLog.fingerprint("00ff", "hunter3")).isNotEqualTo(one);
    assertThat(SettingsChangeLog.fingerprint("0a0b", "hunter2")).isNotEqualTo(one);
  }

  @Test
  void sourcesAndDetailsReadAsWords() {
    assertThat(EffectiveSettings.sourceName("EnvConfigSource")).isEqualTo("environment variable");
    assertThat(EffectiveSettings.sourceName("SysPropConfigSource")).isEqualTo("system property");
    assertThat(
            EffectiveSettings.sourceName(
                "PropertiesConfigSource[source=jar:file:/app/lib/audit.jar!/application.properties]"))
        .isEqualTo("application.properties");
    assertThat(EffectiveSettings.envForm("him.audit.retention.years"))
        .isEqualTo("HIM_AUDIT_RETENTION_YEARS");
    assertThat(AuditSettingsEvents.detail(null, "7")).isEqualTo("(unset) → 7");
    assertThat(AuditSettingsEvents.detail("5", null)).isEqualTo("5 → (unset)");
    assertThat(AuditSettingsEvents.detail("x".repeat(300), "y")).hasSizeLessThan(210);
  }
}
