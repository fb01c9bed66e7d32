package org.peiyu.credit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.peiyu.credit.CreditLedger.Posting;
import org.peiyu.credit.CreditLedger.Source;
import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.directory.Dates;
import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.School;
import org.peiyu.directory.Teachers;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.files.TableFile;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Training records from other platforms (.xlsx or .csv), the way rosters are imported: every row checked and staged,
 * a preview of what would be posted, what the ledger already holds (by external id, course code and day, or training
 * and day) and what is wrong row by row, then the valid rows posted in one transaction.
 */
@Component
public class CreditImports {

    /** The columns, by field code; headers are matched by their Chinese or English label, or the code itself. */
    public static final List<String> COLUMNS = List.of("idCard", "staffNo", "schoolCode", "training", "occurred",
            "hours", "category", "level", "mode", "topic", "externalId", "courseCode");
    private static final int MAX_ROWS = 200_000;
    private static final int BATCH = 5_000;

    /** What makes a row the same activity as one in the ledger (the admin chooses per upload). */
    public enum Match { EXTERNAL_ID, COURSE_AND_DATE, TRAINING_AND_DATE }

    /** An upload and what became of it. */
    public record Import(long id, String fileName, String unitPath, String createdBy, OffsetDateTime createdAt,
                         int totalRows, int errorRows, int duplicateRows, Integer posted, OffsetDateTime appliedAt) {
        public int validRows() {
            return totalRows - errorRows - duplicateRows;
        }
    }

    /** One problem of one row, translated. */
    public record RowProblem(int rowNo, String field, String message) {
    }

    private final JdbcClient jdbc;
    private final CreditLedger ledger;
    private final Teachers teachers;
    private final DirectoryTree tree;
    private final MessageSource messages;
    private final RuleSets ruleSets;
    private final AuditLog audit;

    CreditImports(JdbcClient jdbc, CreditLedger ledger, Teachers teachers, DirectoryTree tree, MessageSource messages,
                  RuleSets ruleSets, AuditLog audit) {
        this.ruleSets = ruleSets;
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.teachers = teachers;
        this.tree = tree;
        this.messages = messages;
        this.audit = audit;
    }

    /**
     * Reads, checks and stages an upload under the admin's unit, matching rows to the ledger by the chosen keys;
     * returns its id. A file that is no table is refused.
     */
    @Transactional
    public long upload(String fileName, InputStream in, Set<Match> match, Scope scope, String by) throws IOException {
        String unitPath = scope.all() ? "/" : scope.unitPaths().get(0);
        long id = jdbc.sql("INSERT INTO credit_import (file_name, unit_path, created_by) VALUES (?, ?, ?) RETURNING id")
                .params(fileName == null || fileName.isBlank() ? "upload" : fileName.strip(), unitPath, by)
                .query(Long.class).single();
        Checker checker = new Checker(id, scope, match);
        TableFile.read(in, TableFile.withHeader(cells -> checker.header = header(cells), checker::row));
        if (checker.header == null) {
            throw new BadInputException("file", "credit.import.error.empty");
        }
        checker.flush();
        // what the ledger already holds: the activity of a row is posted for that teacher under one of its keys
        int inLedger = jdbc.sql("""
                        UPDATE credit_import_row r SET duplicate = TRUE WHERE import_id = ? AND problems IS NULL
                          AND NOT duplicate AND EXISTS (SELECT 1 FROM credit_entry_key k
                            WHERE k.teacher_id = r.teacher_id AND k.match_key = ANY(r.match_keys))""")
                .param(id).update();
        jdbc.sql("UPDATE credit_import SET total_rows = ?, error_rows = ?, duplicate_rows = ? WHERE id = ?")
                .params(checker.rows, checker.errors, checker.duplicates + inLedger, id).update();
        audit.record("credit.import.upload", "credit_import", id, unitPath, checker.rows + " rows");
        return id;
    }

    /**
     * Checks rows as they are read and stages them in batches; the teachers of a batch's ID-card numbers are found in
     * one query.
     */
    private final class Checker {
        final long importId;
        final Scope scope;
        final Set<Match> match;
        final Set<String> seen = new HashSet<>(); // teacher and key of every valid row so far: repeats in the file
        final List<Object[]> batch = new ArrayList<>();
        final Map<Integer, Map<String, String>> pending = new java.util.LinkedHashMap<>(); // read, not yet checked
        Map<String, Long> byIdCard = Map.of(); // the pending rows' ID-card numbers → teachers
        Map<Long, String> pathsById = Map.of(); // and those teachers' unit paths
        Map<String, Integer> header;
        String teacherPath; // of the row's teacher, once found
        int rows;
        int errors;
        int duplicates;

        Checker(long importId, Scope scope, Set<Match> match) {
            this.importId = importId;
            this.scope = scope;
            this.match = match;
        }

        void row(int rowNo, Map<String, String> values) {
            if (++rows > MAX_ROWS) {
                throw new BadInputException("file", "credit.import.error.tooMany", MAX_ROWS);
            }
            Map<String, String> v = new HashMap<>();
            values.forEach((field, value) -> v.put(field, clean(value)));
            pending.put(rowNo, v);
            if (pending.size() >= BATCH) {
                checkPending();
            }
        }

        private void checkPending() {
            if (pending.isEmpty()) {
                return;
            }
            byIdCard = teachers.idsByIdCards(pending.values().stream().map(v -> v.get("idCard"))
                    .filter(java.util.Objects::nonNull).toList());
            pathsById = teachers.paths(byIdCard.values());
            pending.forEach(this::check);
            pending.clear();
        }

        private void check(int rowNo, Map<String, String> v) {
            BadInputException.Collector problems = new BadInputException.Collector();
            Long teacher = teacher(v, problems);
            LocalDate day = Dates.parse(v.get("occurred"));
            BigDecimal hours = decimal(v.get("hours"));
            Category category = choice(Category.class, "lrs.category.", v.get("category"), "category", problems);
            Level level = choice(Level.class, "lrs.level.", v.get("level"), "level", problems);
            Mode mode = choice(Mode.class, "credit.mode.", v.get("mode"), "mode", problems);
            String topic = teacher == null ? null : ruleSets.topicKey(teacherPath, v.get("topic"), "topic", problems);
            String title = v.get("training");
            List<String> keys = new ArrayList<>();
            if (v.get("externalId") != null && match.contains(Match.EXTERNAL_ID)) {
                keys.add("external:" + v.get("externalId"));
            }
            if (v.get("courseCode") != null && match.contains(Match.COURSE_AND_DATE)) {
                keys.add(courseKey(v.get("courseCode"), day));
            }
            if (match.contains(Match.TRAINING_AND_DATE)) {
                keys.add("training:" + title + "@" + day);
            }
            Posting p = new Posting(teacher == null ? 0 : teacher, day, hours, category, level,
                    mode == null ? Mode.THEORY : mode, topic, Source.IMPORT, importId + "-" + rowNo, title, null, keys);
            CreditLedger.check(p, "", true, problems);
            boolean duplicate = false;
            if (problems.isEmpty()) {
                for (String k : keys) {
                    duplicate |= !seen.add(teacher + " " + k);
                }
                duplicates += duplicate ? 1 : 0;
            } else {
                errors++;
            }
            batch.add(new Object[] {importId, rowNo, teacher, day, hours, CreditLedger.name(category),
                    CreditLedger.name(level), p.mode().name(), title, keys.toArray(String[]::new), topic,
                    problems.isEmpty() ? null : RuleSets.JSON.writeValueAsString(problems.problems().stream()
                            .map(x -> Map.of("field", x.field(), "key", x.messageKey(), "args",
                                    Arrays.stream(x.args()).map(String::valueOf).toList())).toList()), duplicate});
            if (batch.size() >= BATCH) {
                stage();
            }
        }

        /** The teacher by ID-card number, or by staff number at a school; only teachers the admin sees. */
        private Long teacher(Map<String, String> v, BadInputException.Collector problems) {
            List<Long> found;
            String field;
            if (v.get("idCard") != null) {
                field = "idCard";
                found = byIdCard.containsKey(v.get("idCard")) ? List.of(byIdCard.get(v.get("idCard"))) : List.of();
            } else if (v.get("staffNo") != null && v.get("schoolCode") != null) {
                field = "staffNo";
                String school = tree.schoolByCode(v.get("schoolCode")).map(School::path).orElse(null);
                found = school == null ? List.of() : teachers.idsBy(Teachers.Identifier.STAFF_NO, v.get("staffNo"),
                        school);
            } else {
                problems.add("idCard", "credit.import.error.who");
                return null;
            }
            Map<Long, String> paths = field.equals("idCard") ? pathsById : teachers.paths(found);
            if (found.size() != 1 || !scope.covers(paths.get(found.get(0)))) {
                problems.add(field, "credit.import.error.teacher");
                return null;
            }
            teacherPath = paths.get(found.get(0));
            return found.get(0);
        }

        /** Checks and stages what is left. */
        void flush() {
            checkPending();
            stage();
        }

        private void stage() {
            if (batch.isEmpty()) {
                return;
            }
            jdbc.sql("""
                            INSERT INTO credit_import_row (import_id, row_no, teacher_id, occurred, hours, category, level,
                              mode, title, match_keys, topic, problems, duplicate)
                            SELECT ?, n, t, d::date, h::numeric, c, l, m, ti, string_to_array(k, E'\\x1f'), o, p::jsonb,
                              u
                            FROM unnest(?::int[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                              ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[])
                              AS x(n, t, d, h, c, l, m, ti, k, o, p, u)""")
                    .params(importId, column(1), column(2), column(3), column(4), column(5), column(6), column(7),
                            column(8), batch.stream().map(r -> String.join("\u001f", (String[]) r[9]))
                                    .toArray(String[]::new), column(10), column(11), batch.stream()
                                    .map(r -> (Boolean) r[12]).toArray(Boolean[]::new))
                    .update();
            batch.clear();
        }

        private Object[] column(int i) {
            return switch (i) {
                case 1 -> batch.stream().map(r -> (Integer) r[1]).toArray(Integer[]::new);
                case 2 -> batch.stream().map(r -> (Long) r[2]).toArray(Long[]::new);
                default -> batch.stream().map(r -> r[i] == null ? null : r[i].toString()).toArray(String[]::new);
            };
        }
    }

    /** The key of a course taken on a day, whichever source reports it (an import's course code, our courses). */
    public static String courseKey(String courseCode, LocalDate day) {
        return "course:" + courseCode.strip().toUpperCase(Locale.ROOT) + "@" + day;
    }

    private Map<String, Integer> header(List<String> cells) {
        Map<String, String> known = new HashMap<>();
        for (String f : COLUMNS) {
            for (Locale l : new Locale[] {Locale.SIMPLIFIED_CHINESE, Locale.ENGLISH}) {
                known.put(norm(messages.getMessage("credit.import.column." + f, null, f, l)), f);
            }
            known.put(norm(f), f);
        }
        Map<String, Integer> header = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            String f = known.get(norm(cells.get(i)));
            if (f != null) {
                header.putIfAbsent(f, i);
            }
        }
        for (String required : List.of("training", "occurred", "hours")) {
            if (!header.containsKey(required)) {
                throw new BadInputException("file", "credit.import.error.column",
                        m("credit.import.column." + required, Locale.SIMPLIFIED_CHINESE) + " / "
                                + m("credit.import.column." + required, Locale.ENGLISH));
            }
        }
        if (!header.containsKey("idCard") && !(header.containsKey("staffNo") && header.containsKey("schoolCode"))) {
            throw new BadInputException("file", "credit.import.error.whoColumns");
        }
        return header;
    }

    /** A value given as its code or its label in either language (e.g. ICT, 信息技术应用能力, ICT ability). */
    private <E extends Enum<E>> E choice(Class<E> type, String prefix, String value, String field,
                                         BadInputException.Collector problems) {
        if (value == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)
                    || value.equals(messages.getMessage(prefix + e.name(), null, "", Locale.SIMPLIFIED_CHINESE))
                    || value.equalsIgnoreCase(messages.getMessage(prefix + e.name(), null, "", Locale.ENGLISH))) {
                return e;
            }
        }
        problems.add(field, "credit.import.error.choice");
        return null;
    }

    private static BigDecimal decimal(String v) {
        try {
            return v == null ? null : new BigDecimal(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String clean(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static String norm(String s) {
        return s == null ? "" : s.replace(" ", "").replace("*", "").strip().toLowerCase(Locale.ROOT);
    }

    // ---- reading and applying -----------------------------------------------------------------------------------

    private static final String SELECT = "SELECT id, file_name, unit_path, created_by, created_at, total_rows, "
            + "error_rows, duplicate_rows, posted, applied_at FROM credit_import";

    public Import get(long id, Scope scope) {
        return jdbc.sql(SELECT + " WHERE id = ?").param(id).query(Import.class).optional()
                .filter(i -> scope.covers(i.unitPath())).orElseThrow(NotFoundException::new);
    }

    public List<Import> recent(Scope scope) {
        Scope.Sql s = scope.sql("unit_path", null);
        return jdbc.sql(SELECT + " WHERE " + s.clause() + " ORDER BY created_at DESC, id DESC LIMIT 20")
                .params(s.params()).query(Import.class).list();
    }

    /** The first problems of an upload, translated, by row. */
    public List<RowProblem> problems(long id, Scope scope, Locale locale, int limit) {
        get(id, scope);
        List<RowProblem> out = new ArrayList<>();
        jdbc.sql("SELECT row_no, problems::text FROM credit_import_row WHERE import_id = ? AND problems IS NOT NULL "
                + "ORDER BY row_no LIMIT ?").params(id, limit).query(rs -> {
                    for (JsonNode p : RuleSets.JSON.readTree(rs.getString(2))) {
                        String field = p.path("field").asString();
                        Object[] args = p.path("args").valueStream().map(JsonNode::asString)
                                .map(a -> a.matches("-?[0-9]{1,18}") ? (Object) Long.valueOf(a) : a).toArray();
                        out.add(new RowProblem(rs.getInt(1), messages.getMessage("credit.import.column." + field, null,
                                messages.getMessage("field." + field, null, field, locale), locale),
                                messages.getMessage(p.path("key").asString(), args, locale)));
                    }
                });
        return out;
    }

    /** Every problem of an upload as .xlsx: row, column, message. */
    public void errorReport(long id, Scope scope, Locale locale, OutputStream out) throws IOException {
        List<RowProblem> all = problems(id, scope, locale, MAX_ROWS);
        try (XlsxExport x = new XlsxExport(out, "errors", List.of(m("credit.import.row", locale),
                m("credit.import.field", locale), m("credit.import.problem", locale)))) {
            all.forEach(p -> x.row(List.of(p.rowNo(), p.field(), p.message())));
        }
    }

    /** An empty workbook with the columns in the user's language. */
    public void template(Locale locale, OutputStream out) throws IOException {
        try (XlsxExport x = new XlsxExport(out, m("credit.import.title", locale), COLUMNS.stream()
                .map(c -> m("credit.import.column." + c, locale)).toList())) {
            // headers only: a sample row would be imported by whoever forgets to delete it
        }
    }

    private String m(String key, Locale locale) {
        return messages.getMessage(key, null, key, locale);
    }

    /**
     * Posts the upload's valid rows to the ledger in one transaction, once; rows whose activity reached the ledger
     * since the preview are skipped as duplicates.
     */
    @Transactional
    public Import apply(long id, Scope scope, String by) {
        Import i = get(id, scope);
        if (jdbc.sql("UPDATE credit_import SET applied_at = now() WHERE id = ? AND applied_at IS NULL").param(id)
                .update() == 0) {
            throw new BadInputException("import", "credit.import.error.applied");
        }
        int posted = 0;
        int lastRow = 0;
        while (true) {
            List<Posting> postings = jdbc.sql("""
                            SELECT row_no, teacher_id, occurred, hours, category, level, mode, title, match_keys,
                              topic FROM credit_import_row WHERE import_id = ? AND problems IS NULL AND NOT duplicate
                              AND row_no > ? ORDER BY row_no LIMIT ?""")
                    .params(id, lastRow, BATCH)
                    .query((rs, n) -> new Posting(rs.getLong(2), rs.getObject(3, LocalDate.class),
                            rs.getBigDecimal(4), CreditLedger.enumOf(Category.class, rs.getString(5)),
                            CreditLedger.enumOf(Level.class, rs.getString(6)), Mode.valueOf(rs.getString(7)),
                            rs.getString(10), Source.IMPORT, id + "-" + rs.getInt(1), rs.getString(8), null,
                            List.of((String[]) rs.getArray(9).getArray()))).list();
            if (postings.isEmpty()) {
                break;
            }
            posted += (int) ledger.post(postings, by).stream().filter(java.util.Objects::nonNull).count();
            lastRow = Integer.parseInt(postings.get(postings.size() - 1).sourceRef().replaceAll(".*-", ""));
        }
        jdbc.sql("UPDATE credit_import SET posted = ? WHERE id = ?").params(posted, id).update();
        audit.record("credit.import.apply", "credit_import", id, i.unitPath(), posted + " entries");
        return get(id, scope);
    }
}
