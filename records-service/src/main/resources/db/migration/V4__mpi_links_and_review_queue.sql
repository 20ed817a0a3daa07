-- Master patient index: duplicate detection (match profiles, blocking keys, review queue) and
-- merges (links with history, the resources each merge moved).

-- The survivor a merged patient redirects to; derived from its Patient.link replaced-by, like the
-- other search columns. Searches other than by identifier leave merged patients out.
alter table patient add column merged_into varchar(64);

-- What the matcher compares, normalised once per version (names, phonetic codes, birth date, sex,
-- phones, addresses, identifiers), so scoring a candidate never parses a FHIR resource.
create table mpi_profile (
    patient_id  varchar(64) primary key references patient (id) on delete cascade,
    profile     jsonb       not null,
    updated_at  timestamptz not null
);

-- Blocking keys: a patient is compared only with patients sharing one of its keys (phonetic family
-- + birth year, birth date, phone, identifier value, phonetic given + family), found through the
-- (key, patient_id) index instead of scanning every patient.
create table mpi_block_key (
    patient_id  varchar(64) not null references patient (id) on delete cascade,
    key         text        not null,
    primary key (patient_id, key)
);
create index mpi_block_key_key on mpi_block_key (key, patient_id);

-- The review queue: one row per pair of patients (patient_a < patient_b), with the score and the
-- evidence per field. A person's decision (duplicate, not-duplicate) is kept for good: re-scoring
-- refreshes open rows only.
create table mpi_match_candidate (
    id          uuid         primary key,
    patient_a   varchar(64)  not null references patient (id) on delete cascade,
    patient_b   varchar(64)  not null references patient (id) on delete cascade,
    score       double precision not null,
    priority    varchar(16)  not null check (priority in ('probable', 'possible')),
    fields      jsonb        not null,
    status      varchar(16)  not null
        check (status in ('open', 'duplicate', 'not-duplicate', 'superseded')),
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    decided_by  text,
    decided_at  timestamptz,
    reason      text,
    unique (patient_a, patient_b)
);
create index mpi_match_candidate_queue on mpi_match_candidate (status, score desc, id);
create index mpi_match_candidate_b on mpi_match_candidate (patient_b);

-- Merges: the link history. One active link per source (a source has one survivor); an unmerge
-- marks the link undone with who, when and why.
create table mpi_link (
    id                   uuid         primary key,
    source_id            varchar(64)  not null references patient (id) on delete cascade,
    survivor_id          varchar(64)  not null references patient (id) on delete cascade,
    status               varchar(8)   not null check (status in ('active', 'undone')),
    candidate_id         uuid         references mpi_match_candidate (id) on delete set null,
    -- Patient.active of the source before the merge (null: not stated), restored by an unmerge
    source_active_before boolean,
    moved_resources      int          not null,
    merged_by            text         not null,
    merged_at            timestamptz  not null,
    reason               text         not null,
    undone_by            text,
    undone_at            timestamptz,
    undo_reason          text,
    restored_resources   int,
    check (source_id <> survivor_id)
);
create unique index mpi_link_one_active_per_source on mpi_link (source_id) where status = 'active';
create index mpi_link_source on mpi_link (source_id, merged_at);
create index mpi_link_survivor on mpi_link (survivor_id, merged_at);

-- Exactly the resources a merge moved to the survivor, so that an unmerge moves those back and
-- leaves what was recorded on the survivor since.
create table mpi_link_moved (
    link_id        uuid        not null references mpi_link (id) on delete cascade,
    resource_type  varchar(64) not null,
    resource_id    varchar(64) not null,
    primary key (link_id, resource_type, resource_id)
);
