-- An individual's request for an accounting of disclosures (164.528(c)): its own deadline (60 days,
-- one 30-day extension with a written notice), its fee (the first in 12 months is free) and the
-- report given, kept as produced.
create table roi_accounting_request (
    id                       uuid          primary key,
    patient_id               varchar(64)   not null,
    requester_name           varchar(200)  not null,
    requester_address        varchar(500),
    received_on              date          not null,
    due_on                   date          not null,
    original_due_on          date          not null,
    extension_reason         varchar(2000),
    extension_notice_sent_on date,
    extension_recorded_at    timestamptz,
    extension_recorded_by    text,
    -- 0 for the first accounting in any 12 months; a cost-based fee otherwise
    fee                      numeric(10,2) not null,
    free                     boolean       not null,
    -- the day the individual was told of the fee (and may withdraw or change the request)
    fee_notice_sent_on       date,
    status                   varchar(16)   not null,
    period_from              date,
    period_to                date,
    report                   jsonb,
    fulfilled_at             timestamptz,
    fulfilled_by             text,
    version                  bigint        not null default 0,
    created_at               timestamptz   not null,
    created_by               text          not null
);
create index roi_accounting_request_patient on roi_accounting_request (patient_id, received_on);
