-- Every code set the service uses, versioned the same way: one code_set_import row per loaded
-- release (code system + version), written in the transaction that loads the release's rows, so a
-- release is either wholly there or absent, and a failed load leaves the previous one in force.
--   code_system: ICD-10-CM, ICD-10-CM-TABULAR (notes), ICD-10-PCS, HCPCS, MCE, MS-DRG
alter table code_set_import add column fiscal_year  int;
-- last day in force; null = until a later release of the same code system takes over
alter table code_set_import add column effective_to date;
alter table code_set_import add column file_sha256  varchar(64);

-- An import run: progress for the API and the log, and the error naming the line when it failed.
create table code_set_import_job (
    id            uuid        primary key,
    code_system   varchar(32) not null,
    version       varchar(16) not null,
    file_name     text        not null,
    -- queued, running, succeeded, failed, skipped (the release was loaded already)
    status        varchar(16) not null,
    rows_read     int         not null default 0,
    rows_total    int,
    percent       int         not null default 0,
    error         text,
    error_line    int,
    requested_by  text        not null,
    requested_at  timestamptz not null,
    started_at    timestamptz,
    finished_at   timestamptz,
    -- the release the job loads (copied to code_set_import when it succeeds)
    fiscal_year    int,
    effective_from date,
    effective_to   date,
    file_sha256    varchar(64),
    -- how long the load ran, start to end (ms)
    duration_ms    bigint
);
create index code_set_import_job_recent on code_set_import_job (requested_at desc);

-- ICD-10-CM tabular list notes (includes, inclusionTerm, excludes1, excludes2, codeFirst,
-- useAdditionalCode, codeAlso, notes, sevenChrNote, sevenChrDef) at the level the tabular gives
-- them (chapter, section, category or code); a code inherits its ancestors' notes.
create table icd10cm_note (
    tabular_version varchar(16) not null,
    -- the code (without dot) or the section/chapter id the note sits on (A00-A09, chapter:1)
    code            varchar(16) not null,
    kind            varchar(24) not null,
    ordinal         int         not null,
    -- for sevenChrDef: the character (A, D, S...); null for other kinds
    seventh_char    char(1),
    text            text        not null,
    primary key (tabular_version, code, kind, ordinal)
);

-- ICD-10-PCS codes (CMS codes file: every valid 7-character code).
create table icd10pcs_code (
    code_set_version varchar(16) not null,
    code             char(7)     not null,
    description      text        not null,
    primary key (code_set_version, code)
);

-- HCPCS Level II codes and modifiers (CMS alpha-numeric file), per quarterly release.
create table hcpcs_code (
    code_set_version  varchar(16) not null,
    code              varchar(5)  not null,
    -- true for modifiers (two characters), false for procedure/supply codes
    modifier          boolean     not null,
    short_description text        not null,
    long_description  text        not null,
    -- Medicare coverage indicator (C, D, I, M, S) and BETOS / action codes as published
    coverage_code     varchar(2),
    action_code       varchar(2),
    added_on          date,
    terminated_on     date,
    -- BETOS classification and the day the action code took effect (ACT EFF DT)
    betos             varchar(3),
    action_effective_on date,
    primary key (code_set_version, code)
);

-- Medicare Code Editor lists: which codes trigger which edit, per MCE version.
--   edit_type: Newborn_Only, Pediatric_Only, Maternity_Only, Adult_Only, Female_Only, Male_Only,
--   Principal_Manifestation, Principal_Questionable_Admit, Principal_Unacceptable,
--   Noncovered_Always, Noncovered_Over60, Noncovered_LOS_96hr, Limited_Coverage, Wrong_Performed
create table mce_code_edit (
    mce_version varchar(16) not null,
    edit_type   varchar(40) not null,
    -- D = diagnosis (ICD-10-CM), P = procedure (ICD-10-PCS)
    code_type   char(1)     not null,
    code        varchar(7)  not null,
    description text        not null,
    primary key (mce_version, edit_type, code_type, code)
);
create index mce_code_edit_by_code on mce_code_edit (mce_version, code_type, code);

-- MS-DRG relative weights and geometric mean length of stay (CMS Table 5), per grouper version.
create table msdrg_weight (
    drg_version varchar(16)  not null,
    drg         char(3)      not null,
    -- PRE or 01..25
    mdc         varchar(3)   not null,
    -- SURG or MED
    drg_type    varchar(4)   not null,
    title       text         not null,
    weight      numeric(8,4) not null,
    gmlos       numeric(5,1) not null,
    primary key (drg_version, drg)
);
