package dev.him.coding.edits;

import dev.him.coding.codeset.CodeSetVersions;
import dev.him.coding.codeset.ImportProgress;
import dev.him.coding.codeset.Release;
import dev.him.coding.codeset.ReleaseFormat;
import dev.him.coding.pcs.ReleaseText;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MCE code lists as a tab-separated file with a header ({@code
 * MCE_Simple_Code_Edits_vNN_*.txt}): one row per code and list, {@code MCE_Version ICD_Version
 * MCE_Section MCE_Subsection MCE_Edit_Type ICD_Code_Type ICD_Code ICD_Desc}. Stored in {@code
 * mce_code_edit} with JDBC batches. The file's MCE_Version must be the release's number (release
 * v37, rows 37).
 */
@ApplicationScoped
public class MceListFormat implements ReleaseFormat {
  static final List<String> HEADER =
      List.of(
          "MCE_Version",
          "ICD_Version",
          "MCE_Section",
          "MCE_Subsection",
          "MCE_Edit_Type",
          "ICD_Code_Type",
          "ICD_Code",
          "ICD_Desc");
  private static final Pattern CODE = Pattern.compile("[A-Z0-9]{3,7}");
  private static final Pattern VERSION_NUMBER = Pattern.compile("\\D*(\\d+)(?:\\.\\d+)?");
  private static final int BATCH = 1_000;

  @Override
  public String codeSystem() {
    return CodeSetVersions.MCE;
  }

  @Override
  public int load(Connection c, Release release, ImportProgress progress)
      throws IOException, SQLException {
    Matcher m = VERSION_NUMBER.matcher(release.version());
    String expectedVersion = m.matches() ? m.group(1) : null;
    try (ReleaseText in = ReleaseText.open(release, progress);
        PreparedStatement insert =
            c.prepareStatement(
                "insert into mce_code_edit (mce_version, edit_type, code_type, code, description)"
                    + " values (?, ?, ?, ?, ?)")) {
      String header = in.next();
      if (header == null) {
        throw in.fault("the file is empty; expected the header " + String.join(" ", HEADER));
      }
      List<String> names = List.of(header.split("\t", -1));
      if (!names.equals(HEADER)) {
        throw in.fault(
            "the header is not the MCE list layout: expected the tab-separated columns "
                + String.join(", ", HEADER)
                + "; found "
                + String.join(", ", names));
      }
      Map<String, Integer> seen = new HashMap<>(20_000);
      int rows = 0;
      String line;
      while ((line = in.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length != HEADER.size()) {
          throw in.fault("expected " + HEADER.size() + " tab-separated columns, found " + f.length);
        }
        String version = f[0].strip();
        if (expectedVersion != null && !expectedVersion.equals(version)) {
          throw in.fault(
              "MCE_Version is "
                  + version
                  + " but the release being loaded is "
                  + release.version()
                  + ": wrong file for this release");
        }
        if (!"10".equals(f[1].strip())) {
          throw in.fault("ICD_Version is \"" + f[1] + "\"; only ICD-10 lists (10) are loaded");
        }
        String list = f[4].strip();
        if (!MceLists.ALL.contains(list)) {
          throw in.fault(
              "MCE_Edit_Type \""
                  + list
                  + "\" is not a known MCE list ("
                  + String.join(", ", MceLists.ALL.stream().sorted().toList())
                  + ")");
        }
        String type = f[5].strip();
        if (!"D".equals(type) && !"P".equals(type)) {
          throw in.fault(
              "ICD_Code_Type is \"" + type + "\"; expected D (diagnosis) or P (procedure)");
        }
        String code = f[6].strip();
        if (!CODE.matcher(code).matches()) {
          throw in.fault(
              "ICD_Code \""
                  + code
                  + "\" is not an ICD-10 code without the dot (3 to 7 characters)");
        }
        Integer earlier = seen.putIfAbsent(list + '|' + type + '|' + code, in.lineNumber());
        if (earlier != null) {
          throw in.fault(code + " is listed twice in " + list + " (first on line " + earlier + ")");
        }
        insert.setString(1, release.version());
        insert.setString(2, list);
        insert.setString(3, type);
        insert.setString(4, code);
        insert.setString(5, f[7].strip());
        insert.addBatch();
        rows++;
        in.rowRead(rows);
        if (rows % BATCH == 0) {
          insert.executeBatch();
        }
      }
      in.finish(rows, false);
      insert.executeBatch();
      return rows;
    }
  }
}
