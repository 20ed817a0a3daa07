-- The accounting of disclosures (45 CFR 164.528): one entry per disclosure of a patient's
-- information, written on every release (source RELEASE) or entered by hand for a disclosure made
-- outside this service (source MANUAL: a public-health report, a report to an oversight agency).
-- Excluded entries are kept too, with the reason, so the ledger is complete; the accounting given
-- to the individual leaves them out.
create table roi_disclosure (
    id                uuid          primary key,
    -- null for a manual entry that did not come from a request logged here
    request_id        uuid          references roi_request (id),
    patient_id        varchar(64)   not null,
    disclosed_on      date          not null,
    recipient_name    varchar(200)  not null,
    recipient_address varchar(500),
    -- what was disclosed (record types, dates), never the content
    description       varchar(2000) not null,
    -- a brief statement of purpose, or the reference to a copy of the written request
    purpose           varchar(2000) not null,
    request_reference varchar(500),
    -- the request type (RIGHT_OF_ACCESS, SUBPOENA, ...) or, for a manual entry, its basis code
    basis             varchar(64)   not null,
    accountable       boolean       not null,
    -- the 164.528(a)(1) category and its reason when not accountable
    exclusion         varchar(64),
    exclusion_reason  varchar(500),
    source            varchar(16)   not null,
    created_at        timestamptz   not null,
    created_by        text          not null,
    constraint roi_disclosure_exclusion check (accountable = (exclusion is null)),
    constraint roi_disclosure_source check (source in ('RELEASE', 'MANUAL'))
);
create index roi_disclosure_patient on roi_disclosure (patient_id, disclosed_on);
create index roi_disclosure_request on roi_disclosure (request_id);

-- Entries are evidence: once written they are never changed or removed, whoever connects.
create function roi_disclosure_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'roi_disclosure entries cannot be changed or deleted (%)', tg_op
        using errcode = 'insufficient_privilege';
end;
$$;
create trigger roi_disclosure_no_update_delete
    before update or delete on roi_disclosure
    for each row execute function roi_disclosure_immutable();
create trigger roi_disclosure_no_truncate
    before truncate on roi_disclosure
    for each statement execute function roi_disclosure_immutable();

-- A suspension of the individual's right to an accounting of disclosures to a health oversight
-- agency or law enforcement official (164.528(a)(2)): written for the time the agency states, oral
-- for at most 30 days unless a written statement follows.
create table roi_accounting_suspension (
    id             uuid          primary key,
    patient_id     varchar(64)   not null,
    agency         varchar(200)  not null,
    official       varchar(200),
    statement      varchar(2000) not null,
    statement_kind varchar(16)   not null,
    starts_on      date          not null,
    ends_on        date          not null,
    created_at     timestamptz   not null,
    created_by     text          not null,
    constraint roi_accounting_suspension_kind check (statement_kind in ('ORAL', 'WRITTEN')),
    constraint roi_accounting_suspension_period check (ends_on >= starts_on)
);
create index roi_accounting_suspension_patient on roi_accounting_suspension (patient_id);
