-- Release packets (the PDF sent to the requester) and the fee quote shown before release.

-- One row per build; a rebuild marks the previous row superseded, so at most one is current.
create table roi_packet (
    id               uuid         primary key,
    request_id       uuid         not null references roi_request (id),
    current          boolean      not null,
    sha256           varchar(64)  not null,
    page_count       integer      not null,
    size_bytes       integer      not null,
    resource_count   integer      not null,
    -- per record type: {code: {count, from, to}}; withheld per sensitive category: {category: n}
    included         jsonb        not null,
    withheld         jsonb        not null,
    outside_scope    integer      not null,
    part2_notice     boolean      not null,
    minimum_necessary boolean     not null,
    recipient        varchar(200) not null,
    bates_first      varchar(64)  not null,
    bates_last       varchar(64)  not null,
    built_at         timestamptz  not null,
    built_by         text         not null,
    superseded_at    timestamptz
);
create unique index roi_packet_one_current on roi_packet (request_id) where current;
create index roi_packet_request on roi_packet (request_id, built_at);

-- The PDF itself, apart from its metadata so listing packets never loads the bytes.
create table roi_packet_content (
    packet_id uuid  primary key references roi_packet (id),
    content   bytea not null
);

-- The fee quote as shown to the requester for one packet (164.524(c)(4): the fee is told before
-- the copy is made available). A new packet needs a new acknowledgement.
create table roi_fee_acknowledgement (
    id              uuid          primary key,
    request_id      uuid          not null references roi_request (id),
    packet_id       uuid          not null references roi_packet (id),
    total           numeric(10,2) not null,
    lines           jsonb         not null,
    options         jsonb         not null,
    shown_to        varchar(200)  not null,
    shown_via       varchar(32)   not null,
    recorded_by     text          not null,
    recorded_at     timestamptz   not null
);
create index roi_fee_ack_packet on roi_fee_acknowledgement (packet_id);
