-- Amendment requests (45 CFR 164.526): the individual's request, its due date (60 days, one
-- 30-day extension with written notice), the decision (a corrected version of the target, or a
-- denial on one of the four grounds), and the statement of disagreement and rebuttal that go with
-- the record from then on. amendment_event keeps every step: who, when, what.
create table amendment_request (
    id                       uuid         primary key,
    patient_id               varchar(64)  not null references patient (id),
    target_type              varchar(64)  not null,
    target_id                varchar(64)  not null,
    -- the version of the target the individual asked to amend
    target_version           int          not null,
    requester_type           varchar(32)  not null
        check (requester_type in ('INDIVIDUAL', 'PERSONAL_REPRESENTATIVE')),
    requester_name           varchar(200) not null,
    requester_relationship   varchar(200),
    requested_change         text         not null,
    reason                   text,
    received_on              date         not null,
    original_due_on          date         not null,
    due_on                   date         not null,
    status                   varchar(16)  not null
        check (status in ('RECEIVED', 'EXTENDED', 'ACCEPTED', 'DENIED', 'DISAGREED', 'REBUTTED')),
    extension_reason         text,
    extension_notice_sent_on date,
    decided_at               timestamptz,
    decided_by               text,
    decision_note            text,
    -- accepted: the version of the target that carries the correction
    amended_version          int,
    denial_ground            varchar(40)
        check (denial_ground in ('NOT_CREATED_BY_ENTITY', 'NOT_IN_DESIGNATED_RECORD_SET',
                                 'NOT_AVAILABLE_FOR_INSPECTION', 'ACCURATE_AND_COMPLETE')),
    denial_explanation       text,
    disagreement_text        text,
    disagreement_author      varchar(200),
    disagreement_on          date,
    rebuttal_text            text,
    rebuttal_author          varchar(200),
    rebuttal_on              date,
    created_at               timestamptz  not null,
    created_by               text         not null,
    updated_at               timestamptz  not null,
    updated_by               text         not null
);
-- a patient's requests (they go with every later disclosure)
create index amendment_request_patient on amendment_request (patient_id, received_on);
-- the overdue worklist: open requests by due date (the queries name these statuses literally)
create index amendment_request_open_due on amendment_request (due_on, received_on)
    where status in ('RECEIVED', 'EXTENDED');
create index amendment_request_status_due on amendment_request (status, due_on);

create table amendment_event (
    id           bigint       generated always as identity primary key,
    amendment_id uuid         not null references amendment_request (id),
    action       varchar(16)  not null,
    from_status  varchar(16),
    to_status    varchar(16)  not null,
    recorded_at  timestamptz  not null,
    recorded_by  text         not null,
    -- the facts of the step (dates, ground, version): never the individual's words
    detail       text
);
create index amendment_event_amendment on amendment_event (amendment_id, id);
