-- Every FHIR resource other than Patient (which has the MPI tables): current version, every
-- version, and the search index the REST search runs on.
create table fhir_resource (
    resource_type varchar(64) not null,
    id            varchar(64) not null,
    version_id    int         not null,
    patient_id    varchar(64),
    resource      jsonb       not null,
    last_updated  timestamptz not null,
    updated_by    text        not null,
    deleted_at    timestamptz,
    primary key (resource_type, id)
);
create index fhir_resource_patient on fhir_resource (patient_id, resource_type);

create table fhir_resource_version (
    resource_type varchar(64) not null,
    id            varchar(64) not null,
    version_id    int         not null,
    resource      jsonb       not null,
    recorded_at   timestamptz not null,
    recorded_by   text        not null,
    method        varchar(8)  not null,
    reason        text,
    primary key (resource_type, id, version_id)
);

create table fhir_search_index (
    resource_type varchar(64) not null,
    id            varchar(64) not null,
    param         varchar(32) not null,
    token_system  text,
    token_code    text,
    date_start    timestamptz,
    date_end      timestamptz,
    reference     text
);
create index fhir_search_index_owner on fhir_search_index (resource_type, id);
create index fhir_search_index_token on fhir_search_index (resource_type, param, token_code);
create index fhir_search_index_ref on fhir_search_index (resource_type, param, reference);
create index fhir_search_index_date on fhir_search_index (resource_type, param, date_start);
