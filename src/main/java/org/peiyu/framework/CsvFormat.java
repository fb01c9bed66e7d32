package org.peiyu.framework;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.peiyu.platform.files.TableFile;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.web.BadInputException;

/**
 * A framework as a flat table, one item a row, for editing in a spreadsheet: code, parent code, type, names,
 * verification. Identifiers are optional: a row without one keeps the identifier its code had before.
 */
final class CsvFormat {

    static final List<String> COLUMNS = List.of("code", "parent_code", "type", "name", "name_en", "description",
            "verification", "verified", "identifier");

    private CsvFormat() {
    }

    static FrameworkDraft read(InputStream in, String key, String version, String title, String titleEn)
            throws IOException {
        List<List<String>> rows = new ArrayList<>();
        List<Integer> rowNumbers = new ArrayList<>();
        TableFile.read(in, (n, cells) -> {
            if (!TableFile.blank(cells)) {
                rows.add(cells);
                rowNumbers.add(n);
            }
        });
        if (rows.size() < 2) {
            throw new BadInputException("file", "import.error.noRows");
        }
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < rows.get(0).size(); i++) {
            col.put(rows.get(0).get(i).strip().toLowerCase(), i);
        }
        for (String required : List.of("code", "name")) {
            if (!col.containsKey(required)) {
                throw new BadInputException("file", "import.error.missingColumn", required);
            }
        }
        Map<String, UUID> byCode = new HashMap<>();
        List<FrameworkDraft.Item> items = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            String at = "row " + rowNumbers.get(r);
            String code = cell(row, col, "code");
            String name = cell(row, col, "name");
            if (code == null || name == null) {
                throw new BadInputException(at, "framework.error.csvRow", rowNumbers.get(r));
            }
            String parentCode = cell(row, col, "parent_code");
            UUID parent = null;
            if (parentCode != null) {
                parent = byCode.get(parentCode);
                if (parent == null) {
                    throw new BadInputException(at, "framework.error.csvParent", rowNumbers.get(r), parentCode);
                }
            }
            String idText = cell(row, col, "identifier");
            UUID id;
            try {
                id = idText == null ? StandardsFormat.identifier(key + ":" + code) : UUID.fromString(idText);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(at, "framework.error.uuid", at + " identifier");
            }
            if (byCode.put(code, id) != null) {
                throw new BadInputException(at, "framework.error.duplicate", at + " code " + code);
            }
            String verified = cell(row, col, "verified");
            items.add(new FrameworkDraft.Item(id, parent, code, orElse(cell(row, col, "type"), "Item"), name,
                    cell(row, col, "name_en"), cell(row, col, "description"), cell(row, col, "verification"),
                    verified == null || verified.equalsIgnoreCase("true") || verified.equals("1")));
        }
        return new FrameworkDraft(StandardsFormat.identifier(key + ":" + version), key, version, title, titleEn, null,
                null, items, List.of());
    }

    static void write(List<FrameworkItem> items, OutputStream out) throws IOException {
        Map<Long, String> codes = new HashMap<>();
        items.forEach(i -> codes.put(i.id(), i.code()));
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write('\uFEFF'); // so that Excel opens it as UTF-8
        w.write(String.join(",", COLUMNS) + "\r\n");
        for (FrameworkItem i : items) {
            w.write(String.join(",", quote(i.code()), quote(i.parentId() == null ? null : codes.get(i.parentId())),
                    quote(i.type()), quote(i.name()), quote(i.nameEn()), quote(i.description()),
                    quote(i.verification()), String.valueOf(i.verified()), i.identifier().toString()) + "\r\n");
        }
        w.flush();
    }

    private static String quote(String s) {
        if (s == null) {
            return "";
        }
        String safe = XlsxExport.neutralise(s);
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }

    private static String cell(List<String> row, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        if (i == null || i >= row.size() || row.get(i) == null || row.get(i).isBlank()) {
            return null;
        }
        return row.get(i).strip();
    }

    private static String orElse(String s, String fallback) {
        return s == null ? fallback : s;
    }
}
