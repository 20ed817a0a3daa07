-- The legal basis behind a request: what was asked for in structured form, and the documents that
-- allow (or do not allow) the release. One row per document kind per request; a PUT replaces it.

-- What the request asks for, in a form the checks can compare (recordsRequested stays the
-- requester's own words). Nullable: requests logged before this migration have none.
alter table roi_request add column requested_record_types jsonb;
alter table roi_request add column requested_categories   jsonb;
alter table roi_request add column requested_from         date;
alter table roi_request add column requested_to           date;

-- An authorization (45 CFR 164.508), stored as received even when defective: the checks say why.
create table roi_authorization (
    request_id                 uuid          primary key references roi_request (id),
    -- core elements, 164.508(c)(1)
    information_description    varchar(2000),
    discloser                  varchar(500),
    recipient                  varchar(500),
    purpose                    varchar(2000),
    expires_on                 date,
    expiration_event           varchar(500),
    expiration_event_occurred  boolean       not null default false,
    signed                     boolean       not null default false,
    signed_on                  date,
    signer_type                varchar(32),
    representative_authority   varchar(500),
    -- required statements, 164.508(c)(2)
    statement_right_to_revoke  boolean       not null default false,
    statement_conditioning     boolean       not null default false,
    statement_redisclosure     boolean       not null default false,
    -- what it covers
    covers_psychotherapy_notes boolean       not null default false,
    covers_other_records       boolean       not null default true,
    covers_sud_records         boolean       not null default false,
    -- 42 CFR 2.31 consent elements, asked for when substance-use records are covered or requested
    part2_patient_name         varchar(200),
    part2_recipient            varchar(500),
    part2_purpose              varchar(2000),
    part2_amount_and_kind      varchar(2000),
    part2_expiration           varchar(500),
    part2_right_to_revoke      boolean       not null default false,
    part2_redisclosure_notice  boolean       not null default false,
    -- revocation, 164.508(b)(5): stops every release not yet made
    revoked_at                 timestamptz,
    revoked_on                 date,
    revoked_by                 varchar(200),
    revocation_reason          varchar(2000),
    revocation_recorded_by     text,
    updated_at                 timestamptz   not null,
    updated_by                 text          not null
);

-- A court order (164.512(e)(1)(i)): only what it expressly names may be released.
create table roi_court_order (
    request_id      uuid         primary key references roi_request (id),
    issuing_court   varchar(500) not null,
    issued_on       date         not null,
    record_types    jsonb        not null,
    categories      jsonb        not null,
    date_from       date,
    date_to         date,
    updated_at      timestamptz  not null,
    updated_by      text         not null
);

-- A subpoena or discovery request without a court order (164.512(e)(1)(ii)): needs satisfactory
-- assurance, either notice to the patient with the objection period over, or a qualified
-- protective order.
create table roi_subpoena (
    request_id                uuid        primary key references roi_request (id),
    issued_on                 date        not null,
    notice_given_on           date,
    objection_period_ends_on  date,
    protective_order          varchar(16) not null,
    updated_at                timestamptz not null,
    updated_by                text        not null
);
