-- Every version says how it came to be (create, update or delete); a delete is logical: the row
-- stays, marked, and its history with it.
alter table patient add column deleted_at timestamptz;
alter table patient_version add column method varchar(8) not null default 'POST';
alter table patient_version alter column method drop default;
