package org.peiyu.platform.files;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A4 documents of text and rules (archives, certificates), written as PDF directly. Text is set in Noto Sans SC,
 * embedded as a subset of the glyphs the document uses, so that any reader shows the Chinese (a certificate is a few
 * tens of kilobytes); its text can be searched and copied. Positions are in points from the top-left corner.
 */
public final class Pdf {

    public static final float WIDTH = 595;
    public static final float HEIGHT = 842;

    private final TrueTypeFont font = TrueTypeFont.standard();
    private final List<StringBuilder> pages = new ArrayList<>();
    private final java.util.Map<Integer, Integer> used = new java.util.TreeMap<>(); // glyph → the character it shows
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
                .append(" Td <").append(glyphs(text)).append("> Tj ET\n");
        return this;
    }

    /** A thin rule from one point to another. */
    public Pdf line(float x1, float y1, float x2, float y2) {
        page.append("0.5 w ").append(num(x1)).append(' ').append(num(HEIGHT - y1)).append(" m ").append(num(x2))
                .append(' ').append(num(HEIGHT - y2)).append(" l S\n");
        return this;
    }

    /** How wide text is set in the font. */
    public static float width(String text, float size) {
        TrueTypeFont f = TrueTypeFont.standard();
        return (float) text.codePoints().map(c -> f.advance(f.glyph(c))).sum() * size / 1000;
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

    /** The text as the font's glyph ids (Identity-H: two bytes each), noting each glyph used. */
    private String glyphs(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(c -> {
            int g = font.glyph(c < 0x20 ? ' ' : c);
            used.putIfAbsent(g, c < 0x20 ? ' ' : c);
            sb.append(String.format("%04X", g));
        });
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
            kids.append(8 + 2 * i).append(" 0 R ");
        }
        objects.add("<< /Type /Pages /Kids [" + kids + "] /Count " + pages.size() + " >>");
        byte[] subset = font.subset(used.keySet());
        String name = tag(used.keySet()) + "+" + font.name;
        objects.add("<< /Type /Font /Subtype /Type0 /BaseFont /" + name + " /Encoding /Identity-H "
                + "/DescendantFonts [4 0 R] /ToUnicode 6 0 R >>");
        StringBuilder widths = new StringBuilder();
        used.keySet().forEach(g -> widths.append(g).append(" [").append(font.advance(g)).append("] "));
        objects.add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /" + name + " /CIDSystemInfo << /Registry (Adobe) "
                + "/Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R /DW 1000 /W [" + widths + "] "
                + "/CIDToGIDMap /Identity >>");
        objects.add("<< /Type /FontDescriptor /FontName /" + name + " /Flags 4 /FontBBox [" + font.bbox[0] + " "
                + font.bbox[1] + " " + font.bbox[2] + " " + font.bbox[3] + "] /ItalicAngle 0 /Ascent " + font.ascent
                + " /Descent " + font.descent + " /CapHeight " + font.ascent + " /StemV 80 /FontFile2 7 0 R >>");
        StringBuilder cmap = new StringBuilder("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                + "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS "
                + "def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n");
        List<java.util.Map.Entry<Integer, Integer>> chars = new ArrayList<>(used.entrySet());
        for (int i = 0; i < chars.size(); i += 100) { // at most 100 to a block
            List<java.util.Map.Entry<Integer, Integer>> block = chars.subList(i, Math.min(chars.size(), i + 100));
            cmap.append(block.size()).append(" beginbfchar\n");
            block.forEach(e -> cmap.append(String.format("<%04X> <", e.getKey())).append(utf16(e.getValue()))
                    .append(">\n"));
            cmap.append("endbfchar\n");
        }
        cmap.append("endcmap CMapName currentdict /CMap defineresource pop end end\n");
        objects.add(stream("", cmap.toString().getBytes(StandardCharsets.ISO_8859_1)));
        objects.add(stream("/Length1 " + subset.length + " /Filter /FlateDecode ", deflate(subset)));
        for (int i = 0; i < pages.size(); i++) {
            objects.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + num(WIDTH) + " " + num(HEIGHT) + "] "
                    + "/Resources << /Font << /F1 3 0 R >> >> /Contents " + (9 + 2 * i) + " 0 R >>");
            objects.add(stream("", pages.get(i).toString().getBytes(StandardCharsets.ISO_8859_1)));
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

    /** A stream object; its bytes kept as they are (ISO-8859-1 maps each byte to one char). */
    private static String stream(String dictionary, byte[] data) {
        return "<< " + dictionary + "/Length " + data.length + " >>\nstream\n"
                + new String(data, StandardCharsets.ISO_8859_1) + "\nendstream";
    }

    private static byte[] deflate(byte[] data) {
        java.util.zip.Deflater d = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    /** A character as UTF-16 hex, for the ToUnicode map. */
    private static String utf16(int codePoint) {
        StringBuilder sb = new StringBuilder();
        for (char c : Character.toChars(codePoint)) {
            sb.append(String.format("%04X", (int) c));
        }
        return sb.toString();
    }

    /** The subset's six-letter tag, the same for the same glyphs. */
    private static String tag(java.util.Set<Integer> glyphs) {
        int h = glyphs.hashCode();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            sb.append((char) ('A' + Math.floorMod(h, 26)));
            h /= 26;
        }
        return sb.toString();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
