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

    /** The text shown on the pages, read back from the content streams' UCS-2 strings. */
    public static List<String> texts(byte[] pdf) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<([0-9A-F]*)> Tj").matcher(new String(pdf, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < m.group(1).length(); i += 4) {
                sb.append((char) Integer.parseInt(m.group(1).substring(i, i + 4), 16));
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
        assertThat(s).startsWith("%PDF-1.4").endsWith("%%EOF\n").contains("/BaseFont /STSong-Light")
                .contains("/Encoding /UniGB-UCS2-H").contains("/Count 2");
        assertThat(texts(bytes)).containsExactly("学时档案 Zhang 三", "第二页：信息技术应用能力 50 学时");
        // the cross-reference table points at each "n 0 obj"
        int xref = Integer.parseInt(s.replaceAll("(?s).*startxref\n(\\d+)\n%%EOF\n$", "$1"));
        String[] rows = s.substring(xref).split("\n");
        int objects = Integer.parseInt(rows[1].split(" ")[1]) - 1;
        assertThat(objects).isEqualTo(5 + 2 * 2);
        for (int i = 1; i <= objects; i++) {
            int offset = Integer.parseInt(rows[2 + i].substring(0, 10));
            assertThat(s.substring(offset)).startsWith(i + " 0 obj\n");
        }
        // each stream's length is its content's
        Matcher m = Pattern.compile("/Length (\\d+) >>\nstream\n").matcher(s);
        while (m.find()) {
            assertThat(s.substring(m.end() + Integer.parseInt(m.group(1)))).startsWith("endstream");
        }
    }

    @Test
    void longTextIsCutToItsColumnWithAnEllipsis() {
        assertThat(Pdf.width("ab", 10)).isEqualTo(10);
        assertThat(Pdf.width("学时", 10)).isEqualTo(20);
        String cut = Pdf.fit("人工智能赋能课堂教学专题研修（第二期）", 10, 80);
        assertThat(cut).endsWith("…");
        assertThat(Pdf.width(cut, 10)).isLessThanOrEqualTo(80);
        assertThat(Pdf.fit("短", 10, 80)).isEqualTo("短");
    }
}
