-- Transactional outbox: events are written here in the same transaction as the change that
-- caused them, then relayed to Kafka by OutboxRelay. Shared by every service that publishes.
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
