package dev.him.audit.settings;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * At start: records every audit setting that changed since the last start, then "audit logging
 * started" (the ingester consumes events from here on) or, when ingestion is switched off, "audit
 * logging disabled"; at a clean stop, "audit logging stopped". A start without a stop before it
 * shows an instance that ended without stopping cleanly.
 */
@ApplicationScoped
public class AuditLoggingLifecycle {
  private static final Logger LOG = Logger.getLogger(AuditLoggingLifecycle.class);

  /** Names the settings and statuses this instance records are about (environment form too). */
  static final List<String> SCOPE = List.of(EffectiveSettings.PREFIX, "HIM_AUDIT_");

  @Inject EffectiveSettings settings;
  @Inject SettingsChangeLog changes;

  /** The ingester's switch (EventIngester): off means the log is disabled, and that is recorded. */
  @ConfigProperty(name = "him.audit.ingest.enabled", defaultValue = "true")
  boolean ingesting;

  void onStart(@Observes StartupEvent start) {
    var recorded =
        changes.recordChanges(SCOPE, settings.read(), "configuration at startup on " + instance());
    if (!recorded.isEmpty()) {
      LOG.infof("audit settings: %d change(s) recorded", recorded.size());
    }
    changes.recordStatus(
        ingesting ? SettingsChangeLog.STARTED : SettingsChangeLog.DISABLED,
        "audit-service on " + instance());
  }

  void onStop(@Observes ShutdownEvent stop) {
    try {
      changes.recordStatus(SettingsChangeLog.STOPPED, "audit-service on " + instance());
    } catch (RuntimeException e) {
      // the next start shows the missing stop
      LOG.warnf("audit logging stop not recorded: %s", e.getClass().getSimpleName());
    }
  }

  /** Host (the pod name on Kubernetes) and process id. */
  static String instance() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (Exception e) {
        host = "unknown host";
      }
    }
    return host + " (pid " + ProcessHandle.current().pid() + ")";
  }
}
