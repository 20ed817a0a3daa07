package dev.him.coding.codeset;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * How one agency file becomes rows: one implementation per file format (ICD-10-CM order file,
 * tabular XML, PCS codes file, HCPCS workbook, MCE lists, MS-DRG table). {@link ReleaseLoader}
 * calls it inside the transaction that also writes the release's code_set_import row.
 */
public interface ReleaseFormat {
  /** The code_set_import.code_system this format loads (see {@link CodeSetVersions}). */
  String codeSystem();

  /**
   * Reads the whole file and writes its rows for {@code release.version()} through {@code c}.
   *
   * @return the number of rows stored
   * @throws ImportFileException naming the line when the content is not valid for the format
   */
  int load(Connection c, Release release, ImportProgress progress) throws IOException, SQLException;
}
