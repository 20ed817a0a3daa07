package dev.him.coding.codeset.icd10cm;

import dev.him.coding.codeset.CodeSetVersions;
import dev.him.coding.codeset.CopyWriter;
import dev.him.coding.codeset.ImportFileException;
import dev.him.coding.codeset.ImportProgress;
import dev.him.coding.codeset.Release;
import dev.him.coding.codeset.ReleaseFormat;
import dev.him.coding.codeset.ReleaseInput;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The notes of the ICD-10-CM tabular list XML ({@code icd10cm_tabular_YYYY.xml.gz}) into {@code
 * icd10cm_note}: includes, inclusion terms, excludes1/2, code first, use additional code, code
 * also, notes, 7th-character notes and definitions, on the chapter ({@code chapter:19}), section
 * ({@code S70-S79}) or code ({@code S72}, no dot) that carries them. Read with StAX as it streams
 * out of the gzip, so memory does not grow with the file. Notes only: which codes are valid comes
 * from the order file.
 */
@ApplicationScoped
public class Icd10CmTabularFormat implements ReleaseFormat {
  private static final String ROOT = "ICD10CM.tabular";
  private static final Set<String> KINDS =
      Set.of(
          "includes",
          "inclusionTerm",
          "excludes1",
          "excludes2",
          "codeFirst",
          "useAdditionalCode",
          "codeAlso",
          "notes",
          "sevenChrNote",
          "sevenChrDef");
  private static final int PROGRESS_EVERY = 500;

  @Override
  public String codeSystem() {
    return CodeSetVersions.ICD10CM_TABULAR;
  }

  @Override
  public int load(Connection c, Release release, ImportProgress progress)
      throws IOException, SQLException {
    try (ReleaseInput input = ReleaseInput.open(release)) {
      progress.total(input.size());
      InputStream xml = content(input);
      try (CopyWriter copy =
          CopyWriter.open(
              c,
              "copy icd10cm_note (tabular_version, code, kind, ordinal, seventh_char, text)"
                  + " from stdin")) {
        Reader reader = new Reader(release, input, copy, progress);
        XMLStreamReader xmlReader = null;
        try {
          xmlReader = factory().createXMLStreamReader(xml);
          reader.read(xmlReader);
        } catch (XMLStreamException e) {
          throw unreadable(input, e, xmlReader);
        }
        copy.finish();
        progress.advanced(input.bytesRead(), reader.rows);
        return reader.rows;
      }
    }
  }

  /** The tabular is published gzip-compressed; a plain XML file is taken as well. */
  private static InputStream content(ReleaseInput input) throws IOException {
    if (input.isGzip()) {
      try {
        return new GZIPInputStream(input.stream(), 64 * 1024);
      } catch (EOFException | ZipException e) {
        throw new ImportFileException(input.name(), 0, "is not a complete gzip file");
      }
    }
    if (input.startsWith((byte) '<') || input.startsWith((byte) 0xef, (byte) 0xbb, (byte) 0xbf)) {
      return input.stream();
    }
    throw new ImportFileException(
        input.name(), 0, "is neither gzip-compressed nor XML: not an ICD-10-CM tabular list");
  }

  private static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    // reference data from outside: no DTDs, no external entities
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  /** A parse failure: a truncated gzip, or XML that is not well-formed, named by its line. */
  private static ImportFileException unreadable(
      ReleaseInput input, XMLStreamException e, XMLStreamReader reader) {
    int line =
        e.getLocation() != null
            ? e.getLocation().getLineNumber()
            : reader != null ? reader.getLocation().getLineNumber() : 0;
    for (Throwable t = e; t != null; t = next(t)) {
      if (t instanceof EOFException
          || (t instanceof ZipException)
          || (t.getMessage() != null && t.getMessage().contains("ZLIB input stream"))) {
        return new ImportFileException(
            input.name(),
            Math.max(line, 0),
            "the gzip data ends early or is damaged (truncated file): " + t.getMessage());
      }
    }
    String message = e.getMessage();
    // the StAX message repeats the location; keep the reason
    int at = message == null ? -1 : message.indexOf("Message: ");
    String reason = at >= 0 ? message.substring(at + "Message: ".length()) : message;
    return new ImportFileException(
        input.name(), Math.max(line, 0), "is not well-formed XML (truncated?): " + reason);
  }

  private static Throwable next(Throwable t) {
    if (t.getCause() != null) {
      return t.getCause();
    }
    return t instanceof XMLStreamException x ? x.getNestedException() : null;
  }

  /** Walks the tree: chapters, sections and diag elements own the note lists inside them. */
  private static final class Reader {
    private final Release release;
    private final ReleaseInput input;
    private final CopyWriter copy;
    private final ImportProgress progress;
    private final Deque<Owner> owners = new ArrayDeque<>();
    private final Set<String> ownerIds = new HashSet<>();
    int rows;

    Reader(Release release, ReleaseInput input, CopyWriter copy, ImportProgress progress) {
      this.release = release;
      this.input = input;
      this.copy = copy;
      this.progress = progress;
    }

    /** A chapter, section or code, and how many notes of each kind it has so far. */
    private static final class Owner {
      final String element;
      String id;
      Map<String, Integer> ordinals = new HashMap<>();

      Owner(String element, String id) {
        this.element = element;
        this.id = id;
      }

      int next(String kind) {
        return ordinals.merge(kind, 1, Integer::sum);
      }
    }

    void read(XMLStreamReader x) throws XMLStreamException, SQLException {
      if (x.nextTag() != XMLStreamConstants.START_ELEMENT || !ROOT.equals(x.getLocalName())) {
        throw fault(x, "is not an ICD-10-CM tabular list: the root element is " + x.getLocalName());
      }
      while (x.hasNext()) {
        int event = x.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          start(x);
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          String name = x.getLocalName();
          if (!owners.isEmpty() && owners.peek().element.equals(name)) {
            Owner done = owners.pop();
            if (done.id == null) {
              throw fault(x, "a " + name + " element has no name");
            }
          }
        }
      }
      if (ownerIds.isEmpty()) {
        throw fault(x, "holds no chapters or codes");
      }
    }

    private void start(XMLStreamReader x) throws XMLStreamException, SQLException {
      String name = x.getLocalName();
      switch (name) {
        case "version" -> checkVersion(x);
        case "chapter", "diag" -> owners.push(new Owner(name, null));
        case "section" -> {
          String id = x.getAttributeValue(null, "id");
          if (id == null || id.isBlank()) {
            throw fault(x, "a section has no id");
          }
          owners.push(new Owner(name, null));
          named(x, id.strip());
        }
        case "name" -> {
          Owner owner = owners.peek();
          if (owner != null && owner.id == null && !"section".equals(owner.element)) {
            String text = x.getElementText().strip();
            named(x, "chapter".equals(owner.element) ? "chapter:" + text : text.replace(".", ""));
          }
        }
        default -> {
          if (KINDS.contains(name) && !owners.isEmpty()) {
            notes(x, name);
          }
        }
      }
    }

    /** The file's {@code <version>} (the fiscal year) must be the release's fiscal year. */
    private void checkVersion(XMLStreamReader x) throws XMLStreamException {
      if (!owners.isEmpty()) {
        return;
      }
      String year = x.getElementText().strip();
      if (release.fiscalYear() != null && !year.equals(release.fiscalYear().toString())) {
        throw fault(
            x,
            "is the "
                + year
                + " tabular list, but the release is for fiscal year "
                + release.fiscalYear());
      }
    }

    private void named(XMLStreamReader x, String id) {
      Owner owner = owners.pop();
      Owner parent = owners.peek();
      owners.push(owner);
      if (id.isEmpty() || id.length() > 16) {
        throw fault(x, "\"" + id + "\" is not a chapter number, section id or code");
      }
      if (!ownerIds.add(id)) {
        // a section of one category is named like it (section T07 holds category T07): its
        // notes are that category's, so the two share one list
        if (parent == null || !"section".equals(parent.element) || !id.equals(parent.id)) {
          throw fault(x, id + " appears twice");
        }
        owner.ordinals = parent.ordinals;
      }
      owner.id = id;
    }

    /** One note list: its {@code <note>}s, or for sevenChrDef its {@code <extension>}s. */
    private void notes(XMLStreamReader x, String kind) throws XMLStreamException, SQLException {
      Owner owner = owners.peek();
      if (owner.id == null) {
        throw fault(x, kind + " comes before the name of its " + owner.element);
      }
      boolean sevenChrDef = "sevenChrDef".equals(kind);
      String pendingChar = null;
      StringBuilder pendingText = null;
      while (true) {
        int event = x.nextTag();
        if (event == XMLStreamConstants.END_ELEMENT) {
          break;
        }
        String child = x.getLocalName();
        int line = x.getLocation().getLineNumber();
        if (sevenChrDef && "extension".equals(child)) {
          String ch = x.getAttributeValue(null, "char");
          if (ch == null || ch.strip().length() != 1) {
            throw fault(x, "an extension has no single 7th character (char=\"" + ch + "\")");
          }
          if (pendingChar != null) {
            row(owner, kind, pendingChar, pendingText.toString());
          }
          pendingChar = ch.strip();
          pendingText = new StringBuilder(clean(x.getElementText()));
        } else if ("note".equals(child)) {
          String text = clean(x.getElementText());
          if (sevenChrDef) {
            // a note inside sevenChrDef adds to the extension before it (S72 B: "... NOS")
            if (pendingChar == null) {
              throw new ImportFileException(
                  input.name(), line, "a 7th-character note comes before any extension");
            }
            pendingText.append('\n').append(text);
          } else if (!text.isEmpty()) {
            row(owner, kind, null, text);
          }
        } else {
          throw new ImportFileException(
              input.name(), line, "unexpected element " + child + " inside " + kind);
        }
      }
      if (pendingChar != null) {
        row(owner, kind, pendingChar, pendingText.toString());
      }
    }

    private void row(Owner owner, String kind, String seventhChar, String text)
        throws SQLException {
      copy.text(release.version())
          .text(owner.id)
          .text(kind)
          .number(owner.next(kind))
          .text(seventhChar)
          .text(text)
          .endRow();
      rows++;
      if (rows % PROGRESS_EVERY == 0) {
        progress.advanced(input.bytesRead(), rows);
      }
    }

    private ImportFileException fault(XMLStreamReader x, String reason) {
      return new ImportFileException(input.name(), x.getLocation().getLineNumber(), reason);
    }

    private static String clean(String text) {
      return text.strip().replaceAll("\\s+", " ");
    }
  }
}
