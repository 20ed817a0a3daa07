-- The access log: append-only and hash-chained. Each entry's hash covers its content and the
-- previous entry's hash, so changing, removing or reordering any entry is detectable.
create table audit_entry (
    seq             bigint primary key,
    event_id        uuid        not null unique,
    occurred_at     timestamptz not null,
    recorded_at     timestamptz not null,
    action          varchar(16) not null,
    outcome         varchar(24) not null,
    actor_subject   text,
    actor_username  text,
    actor_roles     text,
    actor_client    text,
    resource_type   text,
    resource_id     text,
    patient_ids     text[]      not null,
    purpose_of_use  text,
    correlation_id  text,
    source_service  text,
    detail          text,
    prev_hash       char(64)    not null,
    hash            char(64)    not null
);
create index audit_entry_patients on audit_entry using gin (patient_ids);
create index audit_entry_occurred on audit_entry (occurred_at desc, seq desc);
create index audit_entry_actor on audit_entry (actor_username, occurred_at desc);

-- The end of the chain; locked by each append so entries are chained one at a time.
create table audit_chain_head (
    id        int primary key check (id = 1),
    last_seq  bigint   not null,
    last_hash char(64) not null
);
insert into audit_chain_head (id, last_seq, last_hash) values (1, 0, repeat('0', 64));

create function audit_entry_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_entry is append-only: % refused', tg_op;
end
$$;
create trigger audit_entry_no_change before update or delete on audit_entry
    for each row execute function audit_entry_is_append_only();
create trigger audit_entry_no_truncate before truncate on audit_entry
    for each statement execute function audit_entry_is_append_only();
