package dev.him.coding.lookup;

import dev.him.coding.terminology.ReleaseRef;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ICD-10-CM tabular notes (table icd10cm_note) that apply to a code: those on the code itself
 * and those it inherits from each shorter code above it, from the section (A00-A09) and from the
 * chapter (chapter:1) holding its category. Read per lookup (a handful of rows by primary key); the
 * sections of a tabular release are listed once and kept.
 */
@ApplicationScoped
public class TabularNotes {
  /** Kinds in the order the tabular prints them. */
  static final List<String> KINDS =
      List.of(
          "inclusionTerm",
          "includes",
          "excludes1",
          "excludes2",
          "codeFirst",
          "useAdditionalCode",
          "codeAlso",
          "notes");

  /**
   * The chapters of ICD-10-CM and their category ranges, as the tabular's chapter headings give
   * them; the notes table names a chapter only by number, so this says which one holds a category.
   */
  static final List<String[]> CHAPTERS =
      List.of(
          new String[] {"1", "A00", "B99"},
          new String[] {"2", "C00", "D49"},
          new String[] {"3", "D50", "D89"},
          new String[] {"4", "E00", "E89"},
          new String[] {"5", "F01", "F99"},
          new String[] {"6", "G00", "G99"},
          new String[] {"7", "H00", "H59"},
          new String[] {"8", "H60", "H95"},
          new String[] {"9", "I00", "I99"},
          new String[] {"10", "J00", "J99"},
          new String[] {"11", "K00", "K95"},
          new String[] {"12", "L00", "L99"},
          new String[] {"13", "M00", "M99"},
          new String[] {"14", "N00", "N99"},
          new String[] {"15", "O00", "O9A"},
          new String[] {"16", "P00", "P96"},
          new String[] {"17", "Q00", "Q99"},
          new String[] {"18", "R00", "R99"},
          new String[] {"19", "S00", "T88"},
          new String[] {"20", "V00", "Y99"},
          new String[] {"21", "Z00", "Z99"},
          new String[] {"22", "U00", "U85"});

  @Inject AgroalDataSource dataSource;

  /** Section ids by tabular release (its code_set_import id: a reloaded release is read anew). */
  private final Map<Long, List<String>> sections = new ConcurrentHashMap<>();

  /** What the lookup shows: notes most specific first, and the 7th characters, if any. */
  public record Applying(List<CodeDetails.Note> notes, CodeDetails.SeventhCharacters seventh) {}

  private record Row(String on, String kind, int ordinal, String seventh, String text) {}

  /**
   * @param code without the dot (S72001A)
   */
  public Applying forCode(ReleaseRef.NotesRef tabular, String code) {
    String tabularVersion = tabular.version();
    String category = code.substring(0, 3);
    // where notes can sit, most specific first: the code, shorter codes, section(s), chapter
    Map<String, String> levels = new LinkedHashMap<>();
    for (int len = code.length(); len >= 3; len--) {
      String c = code.substring(0, len);
      levels.put(c, len == code.length() ? "code" : len == 3 ? "category" : "subcategory");
    }
    for (String section : sections(tabular)) {
      int dash = section.indexOf('-');
      if (dash > 0
          && section.substring(0, dash).compareTo(category) <= 0
          && section.substring(dash + 1).compareTo(category) >= 0) {
        levels.put(section, "section");
      }
    }
    for (String[] ch : CHAPTERS) {
      if (ch[1].compareTo(category) <= 0 && ch[2].compareTo(category) >= 0) {
        levels.put("chapter:" + ch[0], "chapter");
      }
    }
    List<Row> rows = read(tabularVersion, levels.keySet().toArray(new String[0]));
    List<String> order = new ArrayList<>(levels.keySet());
    rows.sort(
        Comparator.<Row>comparingInt(r -> order.indexOf(r.on()))
            .thenComparingInt(r -> kindOrder(r.kind()))
            .thenComparingInt(Row::ordinal));

    List<CodeDetails.Note> notes = new ArrayList<>();
    String sevenFrom = null;
    List<String> sevenNotes = new ArrayList<>();
    List<CodeDetails.Definition> definitions = new ArrayList<>();
    for (Row r : rows) {
      if (r.kind().equals("sevenChrDef") || r.kind().equals("sevenChrNote")) {
        // the nearest level that defines 7th characters wins (rows come most specific first)
        if (sevenFrom == null) sevenFrom = r.on();
        if (!sevenFrom.equals(r.on())) continue;
        if (r.kind().equals("sevenChrNote")) {
          sevenNotes.add(r.text());
        } else {
          String ch = r.seventh() == null ? "" : r.seventh().strip();
          definitions.add(
              new CodeDetails.Definition(
                  ch, r.text(), code.length() == 7 && ch.equals(code.substring(6))));
        }
        continue;
      }
      notes.add(new CodeDetails.Note(r.kind(), r.text(), from(r.on()), levels.get(r.on())));
    }
    CodeDetails.SeventhCharacters seventh =
        sevenFrom == null
            ? null
            : new CodeDetails.SeventhCharacters(from(sevenFrom), sevenNotes, definitions);
    return new Applying(notes, seventh);
  }

  private static int kindOrder(String kind) {
    int i = KINDS.indexOf(kind);
    return i < 0 ? KINDS.size() : i;
  }

  /** How a place in the tabular is shown: E11.9, E11, E08-E13, chapter 4. */
  private static String from(String on) {
    if (on.startsWith("chapter:")) return "chapter " + on.substring(8);
    if (on.indexOf('-') > 0 || on.length() <= 3) return on;
    return on.substring(0, 3) + "." + on.substring(3);
  }

  private List<String> sections(ReleaseRef.NotesRef tabular) {
    String v = tabular.version();
    return sections.computeIfAbsent(
        tabular.importId(),
        id -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement q =
                  c.prepareStatement(
                      "select distinct code from icd10cm_note where tabular_version = ?"
                          + " and code like '%-%' and code not like 'chapter:%'")) {
            q.setString(1, v);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next()) out.add(rs.getString(1));
            }
            return List.copyOf(out);
          } catch (SQLException e) {
            throw new IllegalStateException("reading the tabular sections failed", e);
          }
        });
  }

  private List<Row> read(String tabularVersion, String[] places) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select code, kind, ordinal, seventh_char, text from icd10cm_note"
                    + " where tabular_version = ? and code = any(?)")) {
      Array array = c.createArrayOf("varchar", places);
      q.setString(1, tabularVersion);
      q.setArray(2, array);
      List<Row> rows = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Row(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getInt(3),
                  rs.getString(4),
                  rs.getString(5)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("reading the tabular notes failed", e);
    }
  }
}
