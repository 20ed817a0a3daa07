package dev.him.records.encounter;

import jakarta.inject.Inject;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.Serializable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The encounters whose chart a transaction touched, waiting for {@link RecordChecks#afterWrites()}.
 * A transaction that touches a chart and commits without that call is refused: a write path that
 * forgot it would silently lose discharges and deficiencies, so it fails on its first test instead.
 */
@TransactionScoped
class TouchedRecords implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject transient TransactionSynchronizationRegistry transactions;

  /** Sorted, so that transactions lock encounters in the same order and never deadlock. */
  private final TreeSet<String> encounters = new TreeSet<>();

  private boolean guarded;

  void add(String encounterId) {
    if (!guarded) {
      guarded = true;
      transactions.registerInterposedSynchronization(new Guard());
    }
    encounters.add(encounterId);
  }

  List<String> drain() {
    List<String> out = List.copyOf(encounters);
    encounters.clear();
    return out;
  }

  private final class Guard implements Synchronization {
    @Override
    public void beforeCompletion() {
      if (!encounters.isEmpty()) {
        throw new IllegalStateException(
            "encounters "
                + Set.copyOf(encounters)
                + " were written but RecordChecks.afterWrites() was not called before commit");
      }
    }

    @Override
    public void afterCompletion(int status) {}
  }
}
