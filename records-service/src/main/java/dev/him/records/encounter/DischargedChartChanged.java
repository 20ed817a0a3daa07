package dev.him.records.encounter;

/**
 * Fired (synchronously, inside the writing transaction, once per writing unit of work) when the
 * chart of a discharged encounter may have changed: the encounter was discharged now, or it or
 * something that belongs to it (a diagnosis, a procedure, a document) was written after its
 * discharge. Evaluations of one encounter never run side by side (an advisory lock per encounter).
 */
public record DischargedChartChanged(Chart chart, Discharge discharge) {}
