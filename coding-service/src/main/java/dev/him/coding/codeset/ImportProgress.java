package dev.him.coding.codeset;

/** Where a format reports how far it got, so the job shows percent and rows while it runs. */
public interface ImportProgress {
  ImportProgress NONE =
      new ImportProgress() {
        @Override
        public void total(long units) {}

        @Override
        public void advanced(long unitsDone, int rowsRead) {}
      };

  /** The size of the work in the unit the format counts (bytes of the file, or lines). */
  void total(long units);

  /** Work done so far in that unit, and data rows read so far. */
  void advanced(long unitsDone, int rowsRead);
}
