-- What the Kafka record of an event carries besides the event: the correlation id of the request
-- that wrote it and, when tracing is on, the request's W3C trace context (traceparent), so the
-- consumer's span continues the request's trace although the relay sends the row later. A JSON
-- object of header name to value; null when there is none. (OutboxHeaders)
alter table outbox_event add column if not exists headers jsonb;
