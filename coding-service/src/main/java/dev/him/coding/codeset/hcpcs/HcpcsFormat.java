package dev.him.coding.codeset.hcpcs;

import dev.him.coding.codeset.CodeSetVersions;
import dev.him.coding.codeset.CopyWriter;
import dev.him.coding.codeset.ImportFileException;
import dev.him.coding.codeset.ImportProgress;
import dev.him.coding.codeset.Release;
import dev.him.coding.codeset.ReleaseFormat;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.poi.UnsupportedFileFormatException;
import org.apache.poi.ooxml.POIXMLException;
import org.apache.poi.openxml4j.exceptions.InvalidOperationException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.xml.sax.SAXException;

/**
 * HCPCS Level II codes and modifiers from the CMS alpha-numeric workbook ({@code
 * HCPCYYYY_MMM_ANWEB.xlsx}) into {@code hcpcs_code}. POI's {@link XSSFReader} opens the parts and
 * the sheet streams through SAX one row at a time ({@link XlsxSheet}), so the workbook is never
 * held in memory (the service runs in a 192 MB heap). Rows go to the table through COPY. Columns
 * are found by their header names. A code whose long description goes on over several records
 * (RECID 4 after 3, 8 after 7, rising SEQNUM) becomes one row with the parts joined.
 */
@ApplicationScoped
public class HcpcsFormat implements ReleaseFormat {
  static final String HCPC = "HCPC";
  static final String SEQNUM = "SEQNUM";
  static final String RECID = "RECID";
  static final String LONG = "LONG DESCRIPTION";
  static final String SHORT = "SHORT DESCRIPTION";
  static final String COV = "COV";
  static final String BETOS = "BETOS";
  static final String ADDED = "ADD DT";
  static final String ACTION_EFFECTIVE = "ACT EFF DT";
  static final String TERMINATED = "TERM DT";
  static final String ACTION = "ACTION CD";
  static final List<String> COLUMNS =
      List.of(
          HCPC,
          SEQNUM,
          RECID,
          LONG,
          SHORT,
          COV,
          BETOS,
          ADDED,
          ACTION_EFFECTIVE,
          TERMINATED,
          ACTION);

  /** Level II codes: a letter and four digits; modifiers: two letters or digits. */
  private static final Pattern CODE = Pattern.compile("[A-Z][0-9]{4}");

  private static final Pattern MODIFIER = Pattern.compile("[A-Z0-9]{2}");
  private static final int PROGRESS_EVERY = 250;

  @Override
  public String codeSystem() {
    return CodeSetVersions.HCPCS;
  }

  @Override
  public int load(Connection c, Release release, ImportProgress progress)
      throws IOException, SQLException {
    String source = release.sourceName();
    if (release.entry() != null) {
      throw new ImportFileException(
          source, 0, "the HCPCS workbook is read as it is published, not from inside a zip");
    }
    try (OPCPackage pkg = OPCPackage.open(release.file().toFile(), PackageAccess.READ)) {
      XSSFReader reader = new XSSFReader(pkg, true);
      XSSFReader.SheetIterator sheets = reader.getSheetIterator();
      if (!sheets.hasNext()) {
        throw new ImportFileException(source, 0, "the workbook has no sheet");
      }
      List<String> strings = XlsxSheet.sharedStrings(reader);
      try (InputStream sheet = sheets.next();
          CopyWriter copy =
              CopyWriter.open(
                  c,
                  "copy hcpcs_code (code_set_version, code, modifier, short_description,"
                      + " long_description, coverage_code, action_code, added_on, terminated_on,"
                      + " betos, action_effective_on) from stdin")) {
        progress.total(sheets.getSheetPart().getSize());
        Counting counted = new Counting(sheet);
        Rows rows = new Rows(source, release.version(), copy, progress, counted);
        try {
          XlsxSheet.read(counted, strings, rows);
        } catch (CopyFailed e) {
          throw e.cause;
        } catch (SAXException e) {
          if (e.getException() instanceof ImportFileException f) {
            throw f;
          }
          throw new ImportFileException(
              source, rows.rowNumber, "row", "the sheet cannot be read: " + e.getMessage());
        }
        rows.finish();
        copy.finish();
        progress.advanced(counted.count, rows.stored);
        return rows.stored;
      }
    } catch (UnsupportedFileFormatException
        | InvalidOperationException
        | POIXMLException
        | OpenXML4JException e) {
      throw new ImportFileException(
          source, 0, "is not an Excel workbook (xlsx), or it is damaged: " + e.getMessage());
    } catch (SAXException e) {
      throw new ImportFileException(
          source, 0, "is not an Excel workbook (xlsx), or it is damaged: " + e.getMessage());
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("no XML parser for the HCPCS workbook", e);
    }
  }

  /** A database error inside the SAX callbacks, carried out of the parser. */
  private static final class CopyFailed extends RuntimeException {
    final SQLException cause;

    CopyFailed(SQLException cause) {
      super(cause.getMessage(), cause, false, false);
      this.cause = cause;
    }
  }

  /** Receives the cells row by row; keeps the code being read until its last record is seen. */
  static final class Rows implements XlsxSheet.Rows {
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

    private final String source;
    private final String version;
    private final CopyWriter copy;
    private final ImportProgress progress;
    private final Counting counted;
    private final Map<String, String> cells = new HashMap<>();
    private final Map<String, String> columnOf = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    private Pending pending;
    int rowNumber;
    int stored;

    Rows(String source, String version, CopyWriter copy, ImportProgress p, Counting counted) {
      this.source = source;
      this.version = version;
      this.copy = copy;
      this.progress = p;
      this.counted = counted;
    }

    /** One code or modifier, its long description gathered over its records. */
    private static final class Pending {
      String code;
      boolean modifier;
      int lastSeq;
      String shortDescription;
      StringBuilder longDescription;
      String coverage;
      String action;
      LocalDate added;
      LocalDate terminated;
      String betos;
      LocalDate actionEffective;
    }

    @Override
    public void startRow(int number) {
      rowNumber = number;
      cells.clear();
    }

    @Override
    public void cell(String column, String value) {
      cells.put(column, value);
    }

    @Override
    public void endRow() {
      if (cells.isEmpty()) {
        return;
      }
      if (columnOf.isEmpty()) {
        header();
        return;
      }
      try {
        record();
      } catch (SQLException e) {
        throw new CopyFailed(e);
      }
    }

    private void header() {
      cells.forEach((column, name) -> columnOf.put(name.strip().toUpperCase(), column));
      for (String wanted : COLUMNS) {
        if (!columnOf.containsKey(wanted)) {
          throw new ImportFileException(
              source,
              rowNumber,
              "row",
              "has no column "
                  + wanted
                  + ": this is not the CMS HCPCS alpha-numeric workbook (expected the header row"
                  + " HCPC, SEQNUM, RECID, LONG DESCRIPTION, SHORT DESCRIPTION, ...)");
        }
      }
    }

    private void record() throws SQLException {
      String code = value(HCPC);
      String recid = value(RECID);
      if (code == null) {
        throw fault("has no code in column " + HCPC);
      }
      if (recid == null) {
        throw fault("has no record id in column " + RECID);
      }
      int seq = number(SEQNUM);
      switch (recid) {
        case "3", "7" -> first(code, "7".equals(recid), seq);
        case "4", "8" -> continuation(code, "8".equals(recid), seq);
        default ->
            throw fault(
                "has record id " + recid + " (3 or 4 for codes, 7 or 8 for modifiers expected)");
      }
      if (rowNumber % PROGRESS_EVERY == 0) {
        progress.advanced(counted.count, stored);
      }
    }

    private void first(String code, boolean modifier, int seq) throws SQLException {
      checkShape(code, modifier);
      if (!seen.add(code)) {
        throw fault("repeats " + (modifier ? "modifier " : "code ") + code);
      }
      String shortDescription = value(SHORT);
      String longDescription = value(LONG);
      if (shortDescription == null || longDescription == null) {
        throw fault("lacks a short or long description for " + code);
      }
      emit();
      Pending p = new Pending();
      p.code = code;
      p.modifier = modifier;
      p.lastSeq = seq;
      p.shortDescription = shortDescription;
      p.longDescription = new StringBuilder(longDescription);
      p.coverage = sized(COV, 2);
      p.action = sized(ACTION, 2);
      p.added = date(ADDED);
      p.terminated = date(TERMINATED);
      p.betos = sized(BETOS, 3);
      p.actionEffective = date(ACTION_EFFECTIVE);
      pending = p;
    }

    /** A further record of the code before it: its long description goes on. */
    private void continuation(String code, boolean modifier, int seq) {
      if (pending == null || !pending.code.equals(code) || pending.modifier != modifier) {
        throw fault("continues " + code + ", but the record before is not the start of " + code);
      }
      if (seq <= pending.lastSeq) {
        throw fault("has SEQNUM " + seq + ", not after " + pending.lastSeq + " of " + code);
      }
      String more = value(LONG);
      if (more != null) {
        pending.longDescription.append(' ').append(more);
      }
      pending.lastSeq = seq;
    }

    void finish() throws SQLException {
      emit();
    }

    private void emit() throws SQLException {
      if (pending == null) {
        return;
      }
      Pending p = pending;
      copy.text(version)
          .text(p.code)
          .bool(p.modifier)
          .text(p.shortDescription)
          .text(p.longDescription.toString())
          .text(p.coverage)
          .text(p.action)
          .date(p.added)
          .date(p.terminated)
          .text(p.betos)
          .date(p.actionEffective)
          .endRow();
      stored++;
      pending = null;
    }

    private void checkShape(String code, boolean modifier) {
      if (modifier ? !MODIFIER.matcher(code).matches() : !CODE.matcher(code).matches()) {
        throw fault(
            "has \""
                + code
                + "\" in column "
                + HCPC
                + (modifier
                    ? ", not a modifier (two letters or digits)"
                    : ", not a HCPCS Level II code (a letter and four digits)"));
      }
    }

    private String value(String column) {
      String v = cells.get(columnOf.get(column));
      if (v == null) {
        return null;
      }
      v = v.strip();
      return v.isEmpty() ? null : v;
    }

    private String sized(String column, int max) {
      String v = value(column);
      if (v != null && v.length() > max) {
        throw fault("has \"" + v + "\" in column " + column + ", longer than " + max);
      }
      return v;
    }

    private int number(String column) {
      String v = value(column);
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw fault("has \"" + v + "\" in column " + column + ", not a number");
      }
    }

    private LocalDate date(String column) {
      String v = value(column);
      if (v == null) {
        return null;
      }
      try {
        return LocalDate.parse(v, YYYYMMDD);
      } catch (DateTimeParseException e) {
        throw fault("has \"" + v + "\" in column " + column + ", not a date (yyyymmdd)");
      }
    }

    private ImportFileException fault(String reason) {
      return new ImportFileException(source, rowNumber, "row", reason);
    }
  }

  /** Counts the sheet's bytes as the parser reads them, for the job's percent. */
  static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
