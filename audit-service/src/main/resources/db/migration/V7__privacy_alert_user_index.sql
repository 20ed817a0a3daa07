-- Privacy monitoring asks, for every access it evaluates, whether the user already has an
-- UNUSUAL_VOLUME alert within the window (PrivacyAlerts.volumeAlertSince): an index probe instead
-- of a scan of the alert table.
create index privacy_alert_user_rule on privacy_alert (username, rule, occurred_at desc);
