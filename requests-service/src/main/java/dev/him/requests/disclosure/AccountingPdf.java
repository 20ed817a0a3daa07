package dev.him.requests.disclosure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The accounting of disclosures as a PDF for the individual: the period, then each disclosure
 * (date, recipient and address, what, why), then who generated it and when. Plain text on A4/Letter
 * pages, wrapped and paged.
 */
final class AccountingPdf {
  private static final float MARGIN = 56;
  private static final float SIZE = 10;
  private static final float LEADING = 14;
  private static final int WRAP = 95;

  private AccountingPdf() {}

  static byte[] render(AccountingReport report) {
    List<String> lines = new ArrayList<>();
    lines.add("#Accounting of disclosures");
    lines.add("Patient: " + report.patientId());
    lines.add("Period: " + report.periodFrom() + " to " + report.periodTo());
    lines.add(
        "Disclosures of your health information in this period, as required by 45 CFR 164.528.");
    lines.add("");
    if (report.entries().isEmpty()) {
      lines.add("No disclosures to account for in this period.");
    }
    int n = 1;
    for (AccountingReport.Entry e : report.entries()) {
      lines.add("#" + n++ + ". " + e.disclosedOn() + " - " + e.recipientName());
      if (e.recipientAddress() != null) {
        wrap("Address: " + e.recipientAddress(), lines);
      }
      wrap("Information disclosed: " + e.description(), lines);
      wrap("Purpose: " + e.purpose(), lines);
      lines.add("Basis: " + e.basis());
      lines.add("");
    }
    lines.add("Generated " + report.generatedAt() + " by " + report.generatedBy());

    try (PDDocument doc = new PDDocument();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
      PDPageContentStream page = null;
      float y = 0;
      for (String line : lines) {
        if (page == null || y < MARGIN) {
          if (page != null) {
            page.endText();
            page.close();
          }
          PDPage p = new PDPage(PDRectangle.LETTER);
          doc.addPage(p);
          page = new PDPageContentStream(doc, p);
          page.beginText();
          y = p.getMediaBox().getHeight() - MARGIN;
          page.newLineAtOffset(MARGIN, y);
        }
        boolean heading = line.startsWith("#");
        page.setFont(heading ? bold : regular, SIZE);
        page.showText(printable(heading ? line.substring(1) : line));
        page.newLineAtOffset(0, -LEADING);
        y -= LEADING;
      }
      if (page != null) {
        page.endText();
        page.close();
      }
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("accounting PDF cannot be written", e);
    }
  }

  private static void wrap(String text, List<String> lines) {
    String rest = text;
    while (rest.length() > WRAP) {
      int cut = rest.lastIndexOf(' ', WRAP);
      if (cut <= 0) {
        cut = WRAP;
      }
      lines.add(rest.substring(0, cut));
      rest = "    " + rest.substring(cut).strip();
    }
    lines.add(rest);
  }

  /** The standard fonts cover WinAnsi only; anything else is shown as '?'. */
  private static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      b.append(c >= 0x20 && c < 0x7f || c >= 0xa0 && c <= 0xff ? c : '?');
    }
    return b.toString();
  }
}
