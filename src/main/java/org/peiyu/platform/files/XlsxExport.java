package org.peiyu.platform.files;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import jakarta.servlet.http.HttpServletResponse;
import java.time.LocalDate;
import java.time.temporal.TemporalAccessor;
import java.util.List;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * Streams a table to .xlsx. Text that a spreadsheet would read as a formula (=, +, -, @, tab, CR first) is prefixed
 * with an apostrophe, so an exported name like {@code =HYPERLINK(...)} stays text wherever the file travels.
 */
public final class XlsxExport implements AutoCloseable {

    private static final int FLUSH_EVERY = 1000;
    private final Workbook workbook;
    private final Worksheet sheet;
    private int row;

    public XlsxExport(OutputStream out, String sheetName, List<String> headers) {
        this.workbook = new Workbook(out, "Peiyu", "1.0");
        this.sheet = workbook.newWorksheet(sheetName);
        for (int c = 0; c < headers.size(); c++) {
            sheet.value(0, c, headers.get(c));
            sheet.style(0, c).bold().fillColor("DDEBF7").set();
        }
        sheet.freezePane(0, 1);
        row = 1;
    }

    /** Writes one row; an I/O failure (the client went away) surfaces unchecked, so rows can be fed from callbacks. */
    public void row(List<?> values) {
        for (int c = 0; c < values.size(); c++) {
            Object v = values.get(c);
            if (v == null) {
                continue;
            }
            if (v instanceof Number n) {
                sheet.value(row, c, n);
            } else if (v instanceof LocalDate d) {
                sheet.value(row, c, d);
                sheet.style(row, c).format("yyyy-mm-dd").set();
            } else if (v instanceof Boolean b) {
                sheet.value(row, c, b);
            } else if (v instanceof TemporalAccessor t) {
                sheet.value(row, c, t.toString());
            } else {
                sheet.value(row, c, neutralise(v.toString()));
            }
        }
        if (++row % FLUSH_EVERY == 0) {
            try {
                sheet.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Prepares a download of {@code fileName} and returns the stream to write the workbook to. */
    public static OutputStream attachment(HttpServletResponse response, String fileName) throws IOException {
        response.setContentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        response.setHeader("Cache-Control", "no-store");
        return response.getOutputStream();
    }

    public static String neutralise(String text) {
        if (!text.isEmpty()) {
            char first = text.charAt(0);
            if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
                return "'" + text;
            }
        }
        return text;
    }

    @Override
    public void close() throws IOException {
        workbook.finish();
    }
}
