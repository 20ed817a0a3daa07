-- Privacy monitoring: rules evaluated on the access log as it grows, alerts for the privacy officer.

-- How far each chain has been evaluated. One transaction per chain locks its row (skip locked, so
-- two instances never evaluate the same chain at once), inserts the alerts of the next entries and
-- moves last_seq: each entry is evaluated exactly once, and a failure moves nothing.
create table privacy_cursor (
    chain_id   int         primary key,
    last_seq   bigint      not null,
    updated_at timestamptz not null default now()
);

-- One alert per rule, access event and patient (a re-evaluation cannot double it). Evidence holds
-- identifiers and descriptions only ("family name matches", counts, the hour), never PHI.
create table privacy_alert (
    id             uuid        primary key,
    rule           varchar(40) not null,
    status         varchar(16) not null check (status in ('OPEN', 'INVESTIGATING', 'CLOSED')),
    disposition    varchar(32) check (disposition in
                       ('FALSE_POSITIVE', 'JUSTIFIED', 'VIOLATION_CONFIRMED', 'REFERRED', 'DUPLICATE')),
    username       text        not null,
    patient_id     text        not null,
    event_id       uuid        not null,
    chain_id       int         not null,
    seq            bigint      not null,
    occurred_at    timestamptz not null,
    evidence       jsonb       not null,
    created_at     timestamptz not null,
    assignee       text,
    notes          text,
    closed_by      text,
    closed_at      timestamptz,
    version        int         not null default 0,
    unique (rule, event_id, patient_id),
    check ((status = 'CLOSED') = (disposition is not null))
);
create index privacy_alert_queue on privacy_alert (status, created_at desc);
create index privacy_alert_user on privacy_alert (username, rule, occurred_at desc);
create index privacy_alert_patient on privacy_alert (patient_id, created_at desc);
create index privacy_alert_created on privacy_alert (created_at desc, id);

-- Every change of an alert: who, when, from which status to which, and what they wrote.
create table privacy_alert_history (
    id          bigserial   primary key,
    alert_id    uuid        not null references privacy_alert (id),
    changed_at  timestamptz not null,
    changed_by  text        not null,
    action      varchar(24) not null,
    from_status varchar(16),
    to_status   varchar(16) not null,
    disposition varchar(32),
    note        text
);
create index privacy_alert_history_alert on privacy_alert_history (alert_id, id);
