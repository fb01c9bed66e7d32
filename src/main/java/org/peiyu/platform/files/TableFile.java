package org.peiyu.platform.files;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;
import org.peiyu.platform.web.BadInputException;

/**
 * Reads an uploaded table (.xlsx, or .csv in UTF-8, GBK/GB18030 or UTF-16 with a byte-order mark) row by row without holding it in memory. The kind
 * is decided by the content, never by the file name, so a renamed program or an old .xls is refused by name.
 */
public final class TableFile {

    /** Receives each row: its 1-based number as the user sees it in Excel, and its cells as text. */
    @FunctionalInterface
    public interface RowHandler {
        void row(int rowNumber, List<String> cells);
    }

    public enum Format { XLSX, CSV }

    private static final int SNIFF = 64 * 1024;
    private static final Charset GB18030 = Charset.forName("GB18030");

    private TableFile() {
    }

    /** Reads the first sheet of an .xlsx, or the rows of a CSV, into the handler. */
    public static Format read(InputStream raw, RowHandler handler) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, SNIFF);
        in.mark(SNIFF);
        byte[] head = in.readNBytes(SNIFF);
        in.reset();
        Format format = detect(head);
        if (format == Format.XLSX) {
            readXlsx(in, handler);
        } else {
            readCsv(in, head, handler);
        }
        return format;
    }

    static Format detect(byte[] head) {
        if (head.length == 0) {
            throw new BadInputException("file", "file.error.empty");
        }
        if (startsWith(head, 0x50, 0x4B, 0x03, 0x04)) {
            return Format.XLSX;
        }
        if (startsWith(head, 0xD0, 0xCF, 0x11, 0xE0)) {
            throw new BadInputException("file", "file.error.oldExcel");
        }
        if (startsWith(head, 0xFF, 0xFE) || startsWith(head, 0xFE, 0xFF)) {
            return Format.CSV; // UTF-16 with a byte-order mark, as Excel's "Unicode text" saves it
        }
        for (byte b : head) {
            if (b == 0) {
                throw new BadInputException("file", "file.error.notTable");
            }
        }
        return Format.CSV;
    }

    private static void readXlsx(InputStream in, RowHandler handler) throws IOException {
        ReadableWorkbook workbook;
        try {
            workbook = new ReadableWorkbook(in);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("file", "file.error.badXlsx");
        }
        try (workbook) {
            Sheet sheet = workbook.getFirstSheet();
            try (Stream<Row> rows = sheet.openStream()) {
                Iterator<Row> it = rows.iterator();
                while (it.hasNext()) {
                    Row row = it.next();
                    List<String> cells = new ArrayList<>(row.getCellCount());
                    for (int i = 0; i < row.getCellCount(); i++) {
                        Cell cell = row.getCell(i);
                        cells.add(cell == null || cell.getRawValue() == null ? "" : cell.getRawValue());
                    }
                    handler.row(row.getRowNum(), cells);
                }
            }
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (e.getCause() instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException("file", "file.error.badXlsx");
        }
    }

    private static void readCsv(InputStream in, byte[] head, RowHandler handler) throws IOException {
        Charset charset = charsetOf(head);
        if (startsWith(head, 0xEF, 0xBB, 0xBF)) {
            in.skipNBytes(3);
        } else if (charset != StandardCharsets.UTF_8 && charset != GB18030) {
            in.skipNBytes(2);
        }
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (Reader reader = new BufferedReader(new InputStreamReader(in, decoder), 1 << 16)) {
            new CsvParser(reader, handler).parse();
        } catch (MalformedInputException e) {
            throw new BadInputException("file", "file.error.encoding");
        }
    }

    /** UTF-8 when the head decodes as UTF-8 (allowing a sequence cut at the end), else GB18030, a superset of GBK. */
    static Charset charsetOf(byte[] head) {
        if (startsWith(head, 0xEF, 0xBB, 0xBF)) {
            return StandardCharsets.UTF_8;
        }
        if (startsWith(head, 0xFF, 0xFE)) {
            return StandardCharsets.UTF_16LE;
        }
        if (startsWith(head, 0xFE, 0xFF)) {
            return StandardCharsets.UTF_16BE;
        }
        int end = head.length;
        // do not judge a multi-byte sequence cut off by the sniff window
        for (int i = Math.max(0, end - 3); i < end; i++) {
            if ((head[i] & 0xC0) == 0xC0) {
                end = i;
                break;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(head, 0, end));
            return StandardCharsets.UTF_8;
        } catch (CharacterCodingException e) {
            return GB18030;
        }
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** RFC 4180: commas, double quotes with "" escapes, line breaks inside quotes, CRLF or LF. */
    private static final class CsvParser {
        private final Reader reader;
        private final RowHandler handler;
        private final StringBuilder field = new StringBuilder();
        private final List<String> cells = new ArrayList<>();
        private int line = 1;

        CsvParser(Reader reader, RowHandler handler) {
            this.reader = reader;
            this.handler = handler;
        }

        void parse() throws IOException {
            boolean quoted = false;
            boolean any = false;
            int rowStart = line;
            int c;
            while ((c = reader.read()) != -1) {
                any = true;
                if (quoted) {
                    if (c == '"') {
                        reader.mark(1);
                        int next = reader.read();
                        if (next == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            if (next != -1) {
                                reader.reset();
                            }
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        field.append((char) c);
                    }
                } else if (c == '"' && field.isEmpty()) {
                    quoted = true;
                } else if (c == ',') {
                    cells.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r') {
                        reader.mark(1);
                        if (reader.read() != '\n') {
                            reader.reset();
                        }
                    }
                    emit(rowStart);
                    line++;
                    rowStart = line;
                    any = false;
                } else {
                    field.append((char) c);
                }
            }
            if (any) {
                emit(rowStart);
            }
        }

        private void emit(int rowNumber) {
            cells.add(field.toString());
            field.setLength(0);
            handler.row(rowNumber, List.copyOf(cells));
            cells.clear();
        }
    }

    /** Receives each row of a table with a header: its number and its cells by field. */
    @FunctionalInterface
    public interface RecordHandler {
        void record(int rowNumber, Map<String, String> values);
    }

    /**
     * A row handler for a table whose first row names the columns: blank rows are skipped, the first other row goes
     * to {@code header} (which says which column holds which field, or refuses the file), and every later row to
     * {@code records} as its values by field (null past the row's end).
     */
    public static RowHandler withHeader(Function<List<String>, Map<String, Integer>> header, RecordHandler records) {
        List<Map<String, Integer>> columns = new ArrayList<>(1);
        return (rowNumber, cells) -> {
            if (blank(cells)) {
                return;
            }
            if (columns.isEmpty()) {
                columns.add(header.apply(cells));
                return;
            }
            Map<String, String> values = new HashMap<>();
            columns.get(0).forEach((field, col) -> values.put(field, col < cells.size() ? cells.get(col) : null));
            records.record(rowNumber, values);
        };
    }

    /** True when every cell is blank. */
    public static boolean blank(List<String> cells) {
        return cells.stream().allMatch(s -> s == null || s.isBlank());
    }
}
