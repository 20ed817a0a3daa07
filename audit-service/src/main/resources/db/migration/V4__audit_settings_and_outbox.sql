-- ONC 170.315(d)(2)/(d)(3): a record of every change to the audit settings (the him.audit.*
-- configuration) and of the audit log's enabled/disabled status; and the transactional outbox
-- through which audit-service publishes its own access events (reads of the log, setting changes).

-- The settings as last recorded: compared with the effective configuration at each start.
-- A secret (name with password, secret or key) is never stored: value is '(redacted)' and
-- fingerprint a salted SHA-256 ("salt:hash", hex), enough to notice that it changed.
create table audit_settings (
    key         text primary key,
    value       text,
    secret      boolean     not null default false,
    fingerprint text,
    source      text,
    recorded_at timestamptz not null
);

-- Every added, changed or removed setting (kind 'setting') and every start and clean stop of
-- audit logging (kind 'status', key 'audit-logging-status'). id is also the event id of the
-- AccessEvent published for the row, so the row can be found in the hash-chained log.
create table audit_settings_change (
    id         uuid primary key,
    kind       varchar(16) not null check (kind in ('setting', 'status')),
    key        text        not null,
    old_value  text,
    new_value  text,
    changed_at timestamptz not null,
    changed_by text        not null,
    source     text
);
create index audit_settings_change_at on audit_settings_change (changed_at);
create index audit_settings_change_key on audit_settings_change (key, changed_at);
-- A record of changes is itself append-only for the service.
revoke update, delete, truncate on audit_settings_change from ${writer_role};
grant select, insert on audit_settings_change to ${writer_role};
create trigger audit_settings_change_no_change before update or delete on audit_settings_change
    for each row execute function audit_entry_is_append_only();
create trigger audit_settings_change_no_truncate before truncate on audit_settings_change
    for each statement execute function audit_entry_is_append_only();

-- Transactional outbox (same shape as platform-common's db/outbox/V0_1__outbox_event.sql, which
-- the other services include): rows written with the change, relayed to Kafka by OutboxRelay.
create table outbox_event (
    seq           bigserial primary key,
    id            uuid        not null unique,
    topic         text        not null,
    event_key     text,
    event_type    text        not null,
    event_version int         not null,
    payload       jsonb       not null,
    created_at    timestamptz not null default now(),
    published_at  timestamptz,
    attempts      int         not null default 0,
    last_error    text
);
create index outbox_event_unpublished on outbox_event (seq) where published_at is null;
