package org.peiyu.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.peiyu.platform.files.TableFile;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.web.BadInputException;

class TableFileTest {

    private static List<List<String>> read(byte[] bytes) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        TableFile.read(new ByteArrayInputStream(bytes), (n, cells) -> rows.add(cells));
        return rows;
    }

    @Test
    void readsCsvInUtf8WithBomAndInGbk() throws Exception {
        String csv = "姓名,学校\r\n张三,\"第一小学, 东校区\"\r\n";
        assertThat(read(csv.getBytes(StandardCharsets.UTF_8))).containsExactly(List.of("姓名", "学校"),
                List.of("张三", "第一小学, 东校区"));
        byte[] bom = ("\uFEFF" + csv).getBytes(StandardCharsets.UTF_8);
        assertThat(read(bom).get(0).get(0)).isEqualTo("姓名");
        assertThat(read(csv.getBytes(Charset.forName("GBK"))).get(1)).containsExactly("张三", "第一小学, 东校区");
    }

    @Test
    void readsUtf16WithByteOrderMark() throws Exception {
        byte[] utf16 = ("\uFEFF姓名,学校\r\n王五,第二中学\r\n").getBytes(StandardCharsets.UTF_16LE);
        assertThat(read(utf16)).containsExactly(List.of("姓名", "学校"), List.of("王五", "第二中学"));
    }

    @Test
    void aFileThatStopsBeingUtf8PartWayIsRefusedAsWrongEncoding() {
        byte[] head = ("姓名,学校\n" + "张三,第一小学\n".repeat(6000)).getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(head, head.length + 2);
        bad[head.length] = (byte) 0xC3; // a lead byte followed by
        bad[head.length + 1] = (byte) 0x28; // a byte that cannot continue it
        assertThatThrownBy(() -> read(bad)).isInstanceOfSatisfying(BadInputException.class,
                e -> assertThat(e.messageKey()).isEqualTo("file.error.encoding"));
    }

    @Test
    void quotedFieldsMayHoldQuotesAndLineBreaks() throws Exception {
        assertThat(read("a,\"say \"\"hi\"\"\nthere\"\nb,c".getBytes(StandardCharsets.UTF_8)))
                .containsExactly(List.of("a", "say \"hi\"\nthere"), List.of("b", "c"));
    }

    @Test
    void refusesWhatIsNotATable() {
        assertThatThrownBy(() -> read(new byte[0]))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.messageKey()).isEqualTo("file.error.empty"));
        byte[] exe = {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0};
        assertThatThrownBy(() -> read(exe)).isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.messageKey()).isEqualTo("file.error.notTable"));
        byte[] xls = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, 1, 2};
        assertThatThrownBy(() -> read(xls)).isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.messageKey()).isEqualTo("file.error.oldExcel"));
        byte[] brokenZip = {'P', 'K', 3, 4, 1, 2, 3};
        assertThatThrownBy(() -> read(brokenZip)).isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.messageKey()).isEqualTo("file.error.badXlsx"));
    }

    @Test
    void xlsxRoundTripNeutralisesFormulas() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XlsxExport x = new XlsxExport(out, "s", List.of("姓名", "备注"))) {
            x.row(List.of("=HYPERLINK(\"http://x\")", "+1"));
            x.row(List.of("李四", "ok"));
        }
        List<List<String>> rows = read(out.toByteArray());
        assertThat(rows.get(1)).containsExactly("'=HYPERLINK(\"http://x\")", "'+1");
        assertThat(rows.get(2)).containsExactly("李四", "ok");
    }
}
