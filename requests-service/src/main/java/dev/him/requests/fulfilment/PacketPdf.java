package dev.him.requests.fulfilment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * Lays text out on US Letter pages with the Standard 14 Helvetica fonts, then stamps every page
 * with its footer (recipient and release date) and its Bates number. Text outside WinAnsi (the
 * fonts' encoding) is reduced to its base letters or replaced by '?', so a name in another script
 * never breaks a build.
 */
final class PacketPdf {
  static final PDType1Font REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  static final PDType1Font BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  private static final float MARGIN = 54;
  private static final float TOP = PDRectangle.LETTER.getHeight() - MARGIN;
  private static final float BOTTOM = 66; // the footer sits below
  private static final float WIDTH = PDRectangle.LETTER.getWidth() - 2 * MARGIN;

  /** Whether each char can be shown; computed on first sight (0 unknown, 1 yes, 2 no). */
  private static final byte[] ENCODABLE = new byte[65536];

  private record Line(String text, PDType1Font font, float size, float indent, float before) {}

  private final List<Line> lines = new ArrayList<>();
  private boolean pageBreak;
  private final List<Integer> breaks = new ArrayList<>();

  /** The finished document. */
  record Result(byte[] pdf, int pages, String firstBates, String lastBates) {}

  void heading(String text) {
    add(text, BOLD, 14, 0, 10);
  }

  void subheading(String text) {
    add(text, BOLD, 11, 0, 8);
  }

  void text(String text) {
    add(text, REGULAR, 10, 0, 0);
  }

  void bold(String text, float indent, float before) {
    add(text, BOLD, 9, indent, before);
  }

  void small(String text, float indent) {
    add(text, REGULAR, 8.5f, indent, 0);
  }

  void gap() {
    lines.add(new Line("", REGULAR, 10, 0, 0));
  }

  void newPage() {
    breaks.add(lines.size());
  }

  /** Adds text, wrapped to the page width; newlines in it start new lines. */
  void add(String text, PDType1Font font, float size, float indent, float before) {
    boolean first = true;
    for (String paragraph : clean(text).split("\n", -1)) {
      for (String line : wrap(paragraph, font, size, WIDTH - indent)) {
        lines.add(new Line(line, font, size, indent, first ? before : 0));
        first = false;
      }
    }
  }

  Result render(String batesPrefix, String footer) {
    try (PDDocument doc = new PDDocument();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDDocumentInformation info = doc.getDocumentInformation();
      info.setTitle("Release of information packet");
      info.setProducer("HIM requests-service");
      List<List<Line>> pages = paginate();
      int n = pages.size();
      for (int i = 0; i < n; i++) {
        PDPage page = new PDPage(PDRectangle.LETTER);
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
          float y = TOP;
          for (Line l : pages.get(i)) {
            y -= l.before() + l.size() * 1.25f;
            if (!l.text().isEmpty()) {
              show(cs, l.font(), l.size(), MARGIN + l.indent(), y, l.text());
            }
          }
          String bates = bates(batesPrefix, i + 1);
          float footerY = 40;
          String left = fit(clean(footer), REGULAR, 8, WIDTH - width(BOLD, 8, bates) - 12);
          show(cs, REGULAR, 8, MARGIN, footerY, left);
          show(cs, BOLD, 8, MARGIN + WIDTH - width(BOLD, 8, bates), footerY, bates);
          String pageNo = "Page " + (i + 1) + " of " + n;
          show(
              cs,
              REGULAR,
              8,
              MARGIN + (WIDTH - width(REGULAR, 8, pageNo)) / 2,
              footerY - 12,
              pageNo);
        }
      }
      doc.save(out);
      return new Result(out.toByteArray(), n, bates(batesPrefix, 1), bates(batesPrefix, n));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String bates(String prefix, int page) {
    return String.format("%s-%06d", prefix, page);
  }

  private List<List<Line>> paginate() {
    List<List<Line>> pages = new ArrayList<>();
    List<Line> page = new ArrayList<>();
    float y = TOP;
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      float h = l.before() + l.size() * 1.25f;
      if ((breaks.contains(i) && !page.isEmpty()) || y - h < BOTTOM) {
        pages.add(page);
        page = new ArrayList<>();
        y = TOP;
        h = l.size() * 1.25f;
        l = new Line(l.text(), l.font(), l.size(), l.indent(), 0);
      }
      page.add(l);
      y -= h;
    }
    if (!page.isEmpty() || pages.isEmpty()) {
      pages.add(page);
    }
    return pages;
  }

  private static void show(
      PDPageContentStream cs, PDType1Font font, float size, float x, float y, String text)
      throws IOException {
    cs.beginText();
    cs.setFont(font, size);
    cs.newLineAtOffset(x, y);
    cs.showText(text);
    cs.endText();
  }

  private static List<String> wrap(String text, PDType1Font font, float size, float max) {
    List<String> out = new ArrayList<>();
    if (text.isEmpty()) {
      out.add("");
      return out;
    }
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String candidate = line.length() == 0 ? word : line + " " + word;
      if (width(font, size, candidate) <= max) {
        line.setLength(0);
        line.append(candidate);
        continue;
      }
      if (line.length() > 0) {
        out.add(line.toString());
        line.setLength(0);
      }
      // a word longer than the line is cut
      while (width(font, size, word) > max) {
        int cut = word.length() - 1;
        while (cut > 1 && width(font, size, word.substring(0, cut)) > max) {
          cut--;
        }
        out.add(word.substring(0, cut));
        word = word.substring(cut);
      }
      line.append(word);
    }
    out.add(line.toString());
    return out;
  }

  private static String fit(String text, PDType1Font font, float size, float max) {
    if (width(font, size, text) <= max) return text;
    String t = text;
    while (t.length() > 1 && width(font, size, t + "...") > max) {
      t = t.substring(0, t.length() - 1);
    }
    return t + "...";
  }

  static float width(PDType1Font font, float size, String text) {
    try {
      return font.getStringWidth(text) / 1000 * size;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Text the fonts can show: accents outside WinAnsi are dropped to the base letter (NFKD), tabs
   * and control characters become spaces, anything else that cannot be encoded becomes '?'.
   */
  static String clean(String text) {
    if (text == null) return "";
    String s = text.replace("\r\n", "\n").replace('\r', '\n');
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        out.append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(' ');
      } else if (encodable(c)) {
        out.append(c);
      } else {
        String base =
            Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        boolean ok = !base.isEmpty();
        for (int j = 0; j < base.length() && ok; j++) {
          ok = base.charAt(j) >= 0x20 && encodable(base.charAt(j));
        }
        out.append(ok ? base : "?");
      }
    }
    return out.toString();
  }

  private static boolean encodable(char c) {
    byte known = ENCODABLE[c];
    if (known == 0) {
      boolean ok;
      try {
        REGULAR.encode(String.valueOf(c));
        BOLD.encode(String.valueOf(c));
        ok = !Character.isSurrogate(c);
      } catch (IllegalArgumentException | IOException e) {
        ok = false;
      }
      known = ok ? (byte) 1 : (byte) 2;
      ENCODABLE[c] = known;
    }
    return known == 1;
  }
}
