package org.peiyu.platform.files;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A4 documents of text and rules (archives, certificates), written as PDF directly. Chinese is set in STSong-Light,
 * one of the standard Adobe CJK fonts that PDF readers supply, referenced rather than embedded: the file stays a few
 * kilobytes and the platform ships no font. Positions are in points from the top-left corner.
 */
public final class Pdf {

    public static final float WIDTH = 595;
    public static final float HEIGHT = 842;

    private final List<StringBuilder> pages = new ArrayList<>();
    private StringBuilder page;

    public Pdf() {
        newPage();
    }

    public Pdf newPage() {
        page = new StringBuilder();
        pages.add(page);
        return this;
    }

    /** Text with its baseline at {@code y} from the top. */
    public Pdf text(float x, float y, float size, String text) {
        page.append("BT /F1 ").append(num(size)).append(" Tf ").append(num(x)).append(' ').append(num(HEIGHT - y))
                .append(" Td <").append(hex(text)).append("> Tj ET\n");
        return this;
    }

    /** A thin rule from one point to another. */
    public Pdf line(float x1, float y1, float x2, float y2) {
        page.append("0.5 w ").append(num(x1)).append(' ').append(num(HEIGHT - y1)).append(" m ").append(num(x2))
                .append(' ').append(num(HEIGHT - y2)).append(" l S\n");
        return this;
    }

    /** How wide text is set: Latin characters half an em, the others a full em. */
    public static float width(String text, float size) {
        float w = 0;
        for (int i = 0; i < text.length(); i++) {
            w += text.charAt(i) < 0x7F ? 0.5f : 1f;
        }
        return w * size;
    }

    /** The text cut to a width, with an ellipsis when cut. */
    public static String fit(String text, float size, float maxWidth) {
        if (width(text, size) <= maxWidth) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && width(out + "……", size) + width(text.substring(i, i + 1), size)
                <= maxWidth; i++) {
            out.append(text.charAt(i));
        }
        return out + "…";
    }

    /** UTF-16 code units as the font's UniGB-UCS2-H encoding reads them; outside the BMP becomes a question mark. */
    static String hex(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(String.format("%04X", Character.isSurrogate(c) ? '?' : c < 0x20 ? ' ' : (int) c));
        }
        return sb.toString();
    }

    private static String num(float v) {
        return v == Math.rint(v) ? String.valueOf((int) v) : String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    public byte[] toBytes() {
        List<String> objects = new ArrayList<>();
        objects.add("<< /Type /Catalog /Pages 2 0 R >>");
        StringBuilder kids = new StringBuilder();
        for (int i = 0; i < pages.size(); i++) {
            kids.append(6 + 2 * i).append(" 0 R ");
        }
        objects.add("<< /Type /Pages /Kids [" + kids + "] /Count " + pages.size() + " >>");
        objects.add("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H /Encoding /UniGB-UCS2-H "
                + "/DescendantFonts [4 0 R] >>");
        objects.add("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
                + "/Ordering (GB1) /Supplement 2 >> /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>");
        objects.add("<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
                + "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>");
        for (int i = 0; i < pages.size(); i++) {
            objects.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + num(WIDTH) + " " + num(HEIGHT) + "] "
                    + "/Resources << /Font << /F1 3 0 R >> >> /Contents " + (7 + 2 * i) + " 0 R >>");
            String content = pages.get(i).toString();
            objects.add("<< /Length " + content.length() + " >>\nstream\n" + content + "endstream");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        write(out, "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(out.size());
            write(out, (i + 1) + " 0 obj\n" + objects.get(i) + "\nendobj\n");
        }
        int xref = out.size();
        StringBuilder sb = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f \n");
        offsets.forEach(o -> sb.append(String.format("%010d 00000 n \n", o)));
        sb.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref)
                .append("\n%%EOF\n");
        write(out, sb.toString());
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
