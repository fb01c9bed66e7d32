package org.peiyu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.peiyu.platform.files.Pdf;

/** The PDF writer: a well-formed file whose every object the cross-reference finds, with its text readable back. */
public class PdfTest {

    /** The text shown on the pages, read back from the content streams' glyph ids through the ToUnicode map. */
    public static List<String> texts(byte[] pdf) {
        String s = new String(pdf, StandardCharsets.ISO_8859_1);
        java.util.Map<String, String> unicode = new java.util.HashMap<>();
        Matcher pairs = Pattern.compile("<([0-9A-F]{4})> <([0-9A-F]+)>\n").matcher(s);
        while (pairs.find()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < pairs.group(2).length(); i += 4) {
                sb.append((char) Integer.parseInt(pairs.group(2).substring(i, i + 4), 16));
            }
            unicode.put(pairs.group(1), sb.toString());
        }
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<([0-9A-F]*)> Tj").matcher(s);
        while (m.find()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < m.group(1).length(); i += 4) {
                sb.append(unicode.getOrDefault(m.group(1).substring(i, i + 4), "\uFFFD"));
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void chineseTextOnSeveralPagesReadsBackAndEveryObjectIsWhereTheIndexSays() {
        Pdf pdf = new Pdf().text(50, 60, 18, "学时档案 Zhang 三").line(50, 70, 545, 70);
        pdf.newPage().text(50, 60, 10, "第二页：信息技术应用能力 50 学时");
        byte[] bytes = pdf.toBytes();
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(s).startsWith("%PDF-1.4").endsWith("%%EOF\n").contains("+NotoSansSC-Regular")
                .contains("/Encoding /Identity-H").contains("/FontFile2").contains("/Count 2");
        assertThat(texts(bytes)).containsExactly("学时档案 Zhang 三", "第二页：信息技术应用能力 50 学时");
        // the cross-reference table points at each "n 0 obj"
        int xref = Integer.parseInt(s.replaceAll("(?s).*startxref\n(\\d+)\n%%EOF\n$", "$1"));
        String[] rows = s.substring(xref).split("\n");
        int objects = Integer.parseInt(rows[1].split(" ")[1]) - 1;
        assertThat(objects).isEqualTo(7 + 2 * 2);
        for (int i = 1; i <= objects; i++) {
            int offset = Integer.parseInt(rows[2 + i].substring(0, 10));
            assertThat(s.substring(offset)).startsWith(i + " 0 obj\n");
        }
        // each stream's length is its content's
        Matcher m = Pattern.compile("/Length (\\d+) >>\nstream\n").matcher(s);
        while (m.find()) {
            assertThat(s.substring(m.end() + Integer.parseInt(m.group(1)))).startsWith("\nendstream");
        }
    }

    @Test
    void theEmbeddedFontHoldsTheGlyphsUsedAndIsAValidTrueTypeFileOfTheFontsTables() throws Exception {
        byte[] bytes = new Pdf().text(50, 60, 12, "结业证书 ABC 123").toBytes();
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("/Length1 (\\d+) /Filter /FlateDecode /Length (\\d+) >>\nstream\n").matcher(s);
        assertThat(m.find()).isTrue();
        byte[] deflated = s.substring(m.end(), m.end() + Integer.parseInt(m.group(2)))
                .getBytes(StandardCharsets.ISO_8859_1);
        java.util.zip.Inflater inflater = new java.util.zip.Inflater();
        inflater.setInput(deflated);
        byte[] font = new byte[Integer.parseInt(m.group(1))];
        assertThat(inflater.inflate(font)).isEqualTo(font.length);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(font);
        assertThat(b.getInt(0)).isEqualTo(0x00010000);
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < b.getShort(4); i++) {
            tags.add(new String(font, 12 + 16 * i, 4, StandardCharsets.ISO_8859_1));
            int offset = b.getInt(12 + 16 * i + 8);
            int length = b.getInt(12 + 16 * i + 12);
            assertThat(offset + length).isLessThanOrEqualTo(font.length);
        }
        assertThat(tags).containsExactly("glyf", "head", "hhea", "hmtx", "loca", "maxp");
        // a few glyphs of a 10 MB font: the whole file is small
        assertThat(bytes.length).isLessThan(60_000);
        assertThat(texts(bytes)).containsExactly("结业证书 ABC 123");
    }

    @Test
    void longTextIsCutToItsColumnWithAnEllipsis() {
        assertThat(Pdf.width("学时", 10)).isEqualTo(20); // Chinese a full em, Latin proportional and narrower
        assertThat(Pdf.width("il", 10)).isLessThan(Pdf.width("WM", 10)).isLessThan(10);
        String cut = Pdf.fit("人工智能赋能课堂教学专题研修（第二期）", 10, 80);
        assertThat(cut).endsWith("…");
        assertThat(Pdf.width(cut, 10)).isLessThanOrEqualTo(80);
        assertThat(Pdf.fit("短", 10, 80)).isEqualTo("短");
    }
}
