-- Intake: who asks (with contact details), how the answer is delivered, the patient as the
-- requester described them and the match against records-service, the identity verification as
-- a record of its own, and the technician a request is assigned to.

-- The patient may be unknown on receipt: it is matched (or confirmed by a person) afterwards.
alter table roi_request alter column patient_id drop not null;

-- requester details (requester_address stays the one-line form, for rows written before V4 and
-- for readers that print it)
alter table roi_request add column requester_relationship     varchar(200);
alter table roi_request add column requester_authority        varchar(32);
alter table roi_request add column requester_organization     varchar(200);
alter table roi_request add column requester_email            varchar(254);
alter table roi_request add column requester_phone            varchar(32);
alter table roi_request add column requester_fax              varchar(32);
alter table roi_request add column requester_postal_address   jsonb;

-- delivery
alter table roi_request add column delivery_method            varchar(16);
alter table roi_request add column delivery_email             varchar(254);
alter table roi_request add column delivery_fax               varchar(32);
alter table roi_request add column delivery_postal_address    jsonb;
-- unencrypted email to the individual only when they accepted the risk (164.524(c)(2), HHS
-- guidance): the flag is the record of that acceptance
alter table roi_request add column delivery_unencrypted_email boolean not null default false;
alter table roi_request add column delivery_risk_accepted     boolean not null default false;

-- REQUIRED_BY_LAW: the law or authority that requires the disclosure (164.512(a))
alter table roi_request add column legal_authority_cited      varchar(500);

-- the patient as described by the requester
alter table roi_request add column patient_family             varchar(200);
alter table roi_request add column patient_given              varchar(200);
alter table roi_request add column patient_birth_date         date;
alter table roi_request add column patient_identifier         varchar(200);
alter table roi_request add column patient_phone              varchar(32);
alter table roi_request add column patient_postal_address     jsonb;

-- the match against records-service. Null status: a row logged before matching existed, whose
-- patient_id was given by staff.
alter table roi_request add column patient_match_status       varchar(16);
alter table roi_request add column patient_match_candidates   jsonb;
alter table roi_request add column patient_match_run_at       timestamptz;
alter table roi_request add column patient_confirmed_by       text;
alter table roi_request add column patient_confirmed_at       timestamptz;
alter table roi_request add column patient_match_note         varchar(2000);

-- assignment in the work queue
alter table roi_request add column assignee                   varchar(100);
alter table roi_request add column assigned_at                timestamptz;

-- History rows that are not status moves (assignment, patient confirmed, match run): from and to
-- are the unchanged status, event says what happened. Null for a move.
alter table roi_transition add column event varchar(32);

-- The requester's identity, verified as a step of its own (164.514(h)): how, what was seen (never
-- a full ID number), and for a personal representative the authority checked.
create table roi_identity_verification (
    id                       uuid          primary key,
    request_id               uuid          not null unique references roi_request (id),
    method                   varchar(32)   not null,
    evidence_note            varchar(2000),
    authority_document       varchar(32),
    authority_verified       boolean       not null default false,
    verified_by              text          not null,
    verified_at              timestamptz   not null
);

-- Work-queue shapes (RoiQueueBenchmark): by assignee, by patient and by basis, in due order.
create index roi_request_queue_assignee on roi_request (assignee, due_on, id);
create index roi_request_queue_type on roi_request (request_type, due_on, id);
create index roi_request_queue_status on roi_request (status, due_on, id);
create index roi_request_queue_patient on roi_request (patient_id, due_on, id);
-- the unassigned filter on open requests
create index roi_request_queue_unassigned on roi_request (due_on, id)
    where assignee is null and status not in ('RELEASED', 'DENIED', 'CANCELLED');
