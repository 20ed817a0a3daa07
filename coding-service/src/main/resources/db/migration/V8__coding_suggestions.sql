-- Computer-assisted suggestions for a coding case: the code, its score and evidence (which words,
-- from where), and the coder's decision. One row per case and code; regenerating keeps decisions.
create table coding_suggestion (
    case_id       uuid         not null references coding_case (id),
    -- dotted ICD-10-CM code, E11.9
    code          varchar(8)   not null,
    display       text         not null,
    score         numeric(4,3) not null,
    -- [{source, label, words[], matchedText, matchedKind, excerpt}]
    evidence      jsonb        not null,
    icd10cm_version varchar(16) not null,
    -- proposed, accepted, rejected
    status        varchar(10)  not null,
    generated_at  timestamptz  not null,
    decided_by    text,
    decided_at    timestamptz,
    reject_reason text,
    primary key (case_id, code)
);
-- the acceptance report reads decisions by day
create index coding_suggestion_decided on coding_suggestion (decided_at) where decided_at is not null;
