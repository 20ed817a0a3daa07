-- Legal holds: a patient, or one encounter, kept from any destruction while a matter is open.
-- Holds are released, never deleted. An encounter hold also names the encounter's patient, so a
-- patient's holds (of either scope) are found by one index.
create table legal_hold (
    id             uuid         primary key,
    scope          varchar(16)  not null check (scope in ('PATIENT', 'ENCOUNTER')),
    patient_id     varchar(64),
    encounter_id   varchar(64),
    matter         varchar(200) not null,
    reason         text         not null,
    placed_at      timestamptz  not null,
    placed_by      text         not null,
    released_at    timestamptz,
    released_by    text,
    release_reason text,
    check ((scope = 'PATIENT' and patient_id is not null and encounter_id is null)
        or (scope = 'ENCOUNTER' and encounter_id is not null)),
    check ((released_at is null) = (released_by is null))
);
create index legal_hold_patient_active on legal_hold (patient_id) where released_at is null;
create index legal_hold_encounter_active on legal_hold (encounter_id) where released_at is null;
create index legal_hold_patient on legal_hold (patient_id, placed_at);
create index legal_hold_placed on legal_hold (placed_at, id);

-- The latest activity in each patient's record, kept up to date in the writing transaction, so the
-- retention report is one indexed query instead of an aggregate over every resource. No foreign
-- key: a resource may name its patient before the Patient row exists (bundle order).
create table record_activity (
    patient_id         varchar(64) primary key,
    -- the latest create or update of the patient or of any resource about them
    last_change        timestamptz not null,
    -- the latest encounter end (or start, while it has no end)
    last_encounter_end timestamptz,
    last_activity      timestamptz generated always as (greatest(last_change, last_encounter_end)) stored
);
-- the report walks this index oldest first and stops at the page
create index record_activity_last on record_activity (last_activity, patient_id);

-- records stored before this migration
insert into record_activity (patient_id, last_change, last_encounter_end)
select p.id,
       greatest(p.updated_at,
                (select max(r.last_updated) from fhir_resource r where r.patient_id = p.id)),
       (select max(i.date_end)
          from fhir_resource r
          join fhir_search_index i
            on i.resource_type = r.resource_type and i.id = r.id and i.param = 'date'
         where r.patient_id = p.id and r.resource_type = 'Encounter' and r.deleted_at is null)
  from patient p;
