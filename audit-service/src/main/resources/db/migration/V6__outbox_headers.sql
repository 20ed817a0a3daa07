-- The outbox's Kafka headers (platform-common OutboxHeaders): the correlation id of the request
-- that wrote the event and, when tracing is on, its W3C trace context. Null when there is none.
alter table outbox_event add column if not exists headers jsonb;
