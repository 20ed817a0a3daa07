-- Release-of-information requests: who asked for which patient's records, on what basis, and by
-- when the answer is due.
create table roi_request (
    id                uuid         primary key,
    -- FHIR Patient id in records-service (no foreign key: another service's database)
    patient_id        varchar(64)  not null,
    requester_type    varchar(32)  not null,
    requester_name    varchar(200) not null,
    requester_address varchar(500),
    request_type      varchar(32)  not null,
    received_on       date         not null,
    records_requested varchar(2000) not null,
    purpose           varchar(2000),
    delivery_format   varchar(16)  not null,
    status            varchar(32)  not null,
    due_on            date         not null,
    created_at        timestamptz  not null,
    created_by        text         not null
);
create index roi_request_patient on roi_request (patient_id);
create index roi_request_open_due on roi_request (status, due_on);
