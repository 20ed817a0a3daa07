-- Master patient index, first cut: the current version of each patient with the columns that
-- search uses, every version kept in patient_version, identifiers unique per system.
create sequence mrn_seq start with 100001;

create table patient (
    id           varchar(64) primary key,
    version_id   int          not null,
    mrn          varchar(32)  not null unique,
    family       text,
    given        text,
    -- lower-case name parts, each preceded by a space: ' smith john ', for prefix search
    name_tokens  text         not null,
    family_tokens text        not null,
    given_tokens text         not null,
    birth_date   date,
    gender       varchar(16),
    resource     jsonb        not null,
    created_at   timestamptz  not null,
    created_by   text         not null,
    updated_at   timestamptz  not null,
    updated_by   text         not null
);
create index patient_birth_date on patient (birth_date);
create index patient_created on patient (created_at, id);

create table patient_identifier (
    system      text        not null,
    value       text        not null,
    patient_id  varchar(64) not null references patient (id),
    primary key (system, value)
);
create index patient_identifier_value on patient_identifier (value);
create index patient_identifier_patient on patient_identifier (patient_id);

create table patient_version (
    patient_id   varchar(64) not null references patient (id),
    version_id   int         not null,
    resource     jsonb       not null,
    recorded_at  timestamptz not null,
    recorded_by  text        not null,
    reason       text,
    primary key (patient_id, version_id)
);
