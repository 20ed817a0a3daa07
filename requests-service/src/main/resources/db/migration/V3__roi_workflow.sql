-- The request's workflow: a version for optimistic concurrency (two technicians cannot both move
-- one request), the right-of-access extension, and the history of every transition.

alter table roi_request add column version bigint not null default 0;
-- The due date before any extension: the extension rules count from it (164.524(b)(2)). Null
-- only for rows written without it (dueOn is then the original).
alter table roi_request add column original_due_on date;
update roi_request set original_due_on = due_on;
alter table roi_request add column extension_reason         varchar(2000);
alter table roi_request add column extension_notice_sent_on date;
alter table roi_request add column extension_recorded_at    timestamptz;
alter table roi_request add column extension_recorded_by    text;

-- Every status change, appended and never updated: who moved the request, when, from and to what,
-- and why. The first row (from_status null) is the receipt.
create table roi_transition (
    id              uuid          primary key,
    request_id      uuid          not null references roi_request (id),
    from_status     varchar(32),
    to_status       varchar(32)   not null,
    reason          varchar(2000),
    note            varchar(2000),
    -- how the requester's identity was verified (IDENTITY_VERIFIED only)
    identity_method varchar(32),
    actor           text          not null,
    at              timestamptz   not null
);
create index roi_transition_request on roi_transition (request_id, at);

-- The work queue: open requests by due date (due, at-risk, overdue), oldest first. Final states
-- are never in a due state, so the partial index covers only open requests.
create index roi_request_queue_open on roi_request (due_on, id)
    where status not in ('RELEASED', 'DENIED', 'CANCELLED');
create index roi_request_queue_all on roi_request (due_on, id);
