-- Sensitive categories (42 CFR Part 2, psychotherapy notes, HIV, genetic, minors' records) of each
-- resource, derived from meta.security on every write, so reads and searches can leave out what
-- the caller may not see without parsing the JSON.
alter table fhir_resource add column sensitive_categories text[];
