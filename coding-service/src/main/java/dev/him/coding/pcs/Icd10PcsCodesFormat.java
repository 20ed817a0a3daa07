package dev.him.coding.pcs;

import dev.him.coding.codeset.CodeSetVersions;
import dev.him.coding.codeset.ImportProgress;
import dev.him.coding.codeset.Release;
import dev.him.coding.codeset.ReleaseFormat;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The CMS ICD-10-PCS codes file ({@code icd10pcs_codes_YYYY.txt}, usually read inside the CMS zip):
 * one valid code a line, the 7-character code, a space, the long description. Streamed into {@code
 * icd10pcs_code} through PostgreSQL COPY.
 */
@ApplicationScoped
public class Icd10PcsCodesFormat implements ReleaseFormat {
  private static final int FLUSH_AT = 256 * 1024;

  @Override
  public String codeSystem() {
    return CodeSetVersions.ICD10PCS;
  }

  @Override
  public int load(Connection c, Release release, ImportProgress progress)
      throws IOException, SQLException {
    try (ReleaseText in = ReleaseText.open(release, progress)) {
      CopyIn copy =
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn("copy icd10pcs_code (code_set_version, code, description) from stdin");
      try {
        int rows = copyLines(in, copy, release.version());
        long copied = copy.endCopy();
        if (copied != rows) {
          throw new IllegalStateException("COPY stored " + copied + " of " + rows + " codes");
        }
        return rows;
      } finally {
        if (copy.isActive()) {
          try {
            copy.cancelCopy();
          } catch (SQLException ignored) {
            // the error that stopped the copy is the one to report
          }
        }
      }
    }
  }

  private static int copyLines(ReleaseText in, CopyIn copy, String version)
      throws IOException, SQLException {
    StringBuilder buffer = new StringBuilder(FLUSH_AT + 1024);
    // the line each code was on, so a repeated code names both lines
    Map<String, Integer> seen = new HashMap<>(100_000);
    int rows = 0;
    String line;
    while ((line = in.next()) != null) {
      if (line.isBlank()) {
        continue;
      }
      if (line.length() < 9 || line.charAt(7) != ' ') {
        throw in.fault(
            "expected a 7-character ICD-10-PCS code, a space and the description; found \""
                + shorten(line)
                + "\"");
      }
      String code = line.substring(0, 7);
      if (!Icd10PcsCodes.isShaped(code)) {
        throw in.fault(
            "\""
                + code
                + "\" is not an ICD-10-PCS code (7 characters: digits and letters other than I"
                + " and O)");
      }
      String description = line.substring(8).strip();
      if (description.isEmpty()) {
        throw in.fault("code " + code + " has no description");
      }
      Integer earlier = seen.putIfAbsent(code, in.lineNumber());
      if (earlier != null) {
        throw in.fault("code " + code + " is listed twice (first on line " + earlier + ")");
      }
      row(buffer, version, code, description);
      rows++;
      in.rowRead(rows);
      if (buffer.length() >= FLUSH_AT) {
        write(copy, buffer);
      }
    }
    in.finish(rows, true);
    write(copy, buffer);
    return rows;
  }

  private static void row(StringBuilder out, String version, String code, String description) {
    out.append(version).append('\t').append(code).append('\t');
    for (int i = 0; i < description.length(); i++) {
      char ch = description.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
    }
    out.append('\n');
  }

  private static void write(CopyIn copy, StringBuilder buffer) throws SQLException {
    if (buffer.length() == 0) {
      return;
    }
    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(bytes, 0, bytes.length);
    buffer.setLength(0);
  }

  static String shorten(String line) {
    return line.length() <= 40 ? line : line.substring(0, 40) + "...";
  }
}
