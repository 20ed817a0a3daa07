-- The log becomes one hash chain per Kafka topic partition (so instances scale out by partition),
-- sealed by signed RFC 6962 Merkle checkpoints, and written by a role that cannot change it.
-- Pre-release: the single global chain of V1 held only local demo data and is replaced.
drop table audit_entry;
drop table audit_chain_head;

-- The role the service writes with (its datasource user). Migrations run as the owner.
do $$
begin
    if not exists (select from pg_roles where rolname = '${writer_role}') then
        create role ${writer_role} login password '${writer_password}';
    end if;
end
$$;
grant usage on schema public to ${writer_role};
-- Tables added by later migrations are fully writable unless revoked there (the log tables are).
alter default privileges in schema public grant select, insert, update, delete on tables to ${writer_role};
alter default privileges in schema public grant usage, select on sequences to ${writer_role};

-- One chain per topic partition: its size, the hash of its last entry, the Kafka offset to
-- resume from (stored with the entries, so a crash never loses or repeats one) and the Merkle
-- frontier (roots of the perfect subtrees, largest first, 32 bytes each) from which a
-- checkpoint is computed.
create table audit_chain (
    chain_id     serial primary key,
    topic        text   not null,
    partition_no int    not null,
    size         bigint not null default 0,
    head_hash    bytea  not null default '\x0000000000000000000000000000000000000000000000000000000000000000',
    next_offset  bigint not null default 0,
    frontier     bytea  not null default ''::bytea,
    updated_at   timestamptz not null default now(),
    unique (topic, partition_no)
);
grant select, insert, update on audit_chain to ${writer_role};
revoke delete, truncate on audit_chain from ${writer_role};

-- Every access event and every domain event, exactly once (event_id), in its chain's order.
-- hash = SHA-256(0x00 | previous entry's hash | canonical JSON of the row): an RFC 6962 leaf
-- hash whose leaf data links to the entry before it.
create table audit_entry (
    chain_id       int         not null,
    seq            bigint      not null,
    kafka_offset   bigint      not null,
    event_id       uuid        not null,
    event_type     text        not null,
    occurred_at    timestamptz not null,
    recorded_at    timestamptz not null,
    action         varchar(16) not null,
    outcome        varchar(24) not null,
    actor_subject  text,
    actor_username text,
    actor_roles    text,
    actor_client   text,
    resource_type  text,
    resource_id    text,
    patient_ids    text[]      not null,
    purpose_of_use text,
    correlation_id text,
    source_service text,
    detail         text,
    payload_sha256 bytea,
    hash           bytea       not null,
    primary key (chain_id, seq)
);
create unique index audit_entry_event on audit_entry (event_id);
create index audit_entry_patients on audit_entry using gin (patient_ids);
create index audit_entry_occurred on audit_entry (occurred_at desc);
create index audit_entry_actor on audit_entry (actor_username, occurred_at desc);
revoke update, delete, truncate on audit_entry from ${writer_role};
grant select, insert on audit_entry to ${writer_role};

-- Signed tree heads: the Merkle root of a chain's first tree_size entries.
create table audit_checkpoint (
    chain_id  int         not null,
    tree_size bigint      not null,
    root_hash bytea       not null,
    signed_at timestamptz not null,
    key_id    text        not null,
    body      text        not null,
    signature bytea       not null,
    primary key (chain_id, tree_size)
);
create index audit_checkpoint_signed on audit_checkpoint (signed_at);
revoke update, delete, truncate on audit_checkpoint from ${writer_role};
grant select, insert on audit_checkpoint to ${writer_role};

-- Even the owner cannot change a written entry or checkpoint without first dropping these.
create or replace function audit_entry_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only: % refused', tg_table_name, tg_op;
end
$$;
create trigger audit_entry_no_change before update or delete on audit_entry
    for each row execute function audit_entry_is_append_only();
create trigger audit_entry_no_truncate before truncate on audit_entry
    for each statement execute function audit_entry_is_append_only();
create trigger audit_checkpoint_no_change before update or delete on audit_checkpoint
    for each row execute function audit_entry_is_append_only();
create trigger audit_checkpoint_no_truncate before truncate on audit_checkpoint
    for each statement execute function audit_entry_is_append_only();
