-- Record quality control and the encounter/document domain events.

-- Encounters seen discharged: EncounterDischarged is published when the row is inserted, so once
-- per encounter; deficiency rules watch the charts of the encounters listed here.
create table encounter_discharge (
    encounter_id    varchar(64) primary key,
    patient_id      varchar(64),
    encounter_class varchar(32),
    admitted_at     timestamptz,
    discharged_at   timestamptz not null,
    event_id        uuid        not null,
    recorded_at     timestamptz not null
);
create index encounter_discharge_patient on encounter_discharge (patient_id);

-- Documents seen signed: DocumentSigned is published when the row is inserted, once per document.
create table document_signature (
    document_id  varchar(64) primary key,
    patient_id   varchar(64),
    encounter_id varchar(64),
    signed_by    text,
    signed_at    timestamptz not null,
    event_id     uuid        not null
);

-- Which DocumentReferences belong to which encounter (DocumentReference.context.encounter), so a
-- chart's documents are found by index.
create table encounter_document (
    encounter_id varchar(64) not null,
    document_id  varchar(64) not null,
    primary key (encounter_id, document_id)
);
create index encounter_document_document on encounter_document (document_id);

-- Chart deficiencies found by the configured rules on discharged encounters.
create table deficiency (
    id                          uuid        primary key,
    rule_code                   varchar(64) not null,
    patient_id                  varchar(64),
    encounter_id                varchar(64) not null,
    document_id                 varchar(64),
    responsible_practitioner_id varchar(64),
    opened_at                   timestamptz not null,
    discharged_at               timestamptz not null,
    delinquent_on               date        not null,
    status                      varchar(8)  not null check (status in ('open', 'closed')),
    closed_at                   timestamptz,
    resolution                  varchar(16) check (resolution in ('corrected', 'waived')),
    closed_by                   text,
    waive_reason                text,
    check ((status = 'open') = (closed_at is null)),
    check ((status = 'open') = (resolution is null))
);
-- never two open deficiencies for one rule, encounter and document
create unique index deficiency_one_open
    on deficiency (rule_code, encounter_id, coalesce(document_id, '')) where status = 'open';
create index deficiency_encounter on deficiency (encounter_id);
-- a practitioner's (or the unassigned) queue, oldest due first
create index deficiency_open_queue
    on deficiency (responsible_practitioner_id, delinquent_on, id) where status = 'open';
create index deficiency_open_due on deficiency (delinquent_on, id) where status = 'open';
create index deficiency_practitioner on deficiency (responsible_practitioner_id, opened_at);
create index deficiency_patient on deficiency (patient_id, opened_at);
