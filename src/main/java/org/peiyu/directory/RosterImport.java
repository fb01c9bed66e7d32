package org.peiyu.directory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.files.TableFile;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.pii.PersonalData;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.peiyu.platform.web.Page;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.MessageSource;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Roster import: an uploaded table of schools or teachers is checked row by row into staging rows (nothing touches
 * the directory yet), the user previews every problem, then the valid rows are applied in one transaction as an
 * upsert keyed by school code / ID-card number, so importing the same file twice changes nothing.
 */
@Service
public class RosterImport {

    public enum Kind { SCHOOLS, TEACHERS }

    private static final Logger log = LoggerFactory.getLogger(RosterImport.class);
    private static final int BATCH = 1000;
    /** The columns of each kind of roster, by field code; a code is also accepted as a column header. */
    public static final List<String> TEACHER_COLUMNS = List.of("name", "idCard", "gender", "phone", "staffNo", "schoolCode",
            "subjects", "grades", "title", "post", "birthDate", "teachingSince", "status", "teachingGroup");
    public static final List<String> SCHOOL_COLUMNS = List.of("schoolCode", "schoolName", "divisionCode", "type", "areaClass",
            "address");

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final TransactionTemplate tx;
    private final PersonalData pii;
    private final TeacherValidator validator;
    private final Labels labels;
    private final DirectoryTree tree;
    private final AuditLog audit;
    private final MessageSource messages;
    private final TaskExecutor executor;
    private final ObjectMapper json = new ObjectMapper();

    RosterImport(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate tx, PersonalData pii,
                 TeacherValidator validator, Labels labels, DirectoryTree tree, AuditLog audit, MessageSource messages,
                 @Qualifier("applicationTaskExecutor") TaskExecutor executor) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.tx = tx;
        this.pii = pii;
        this.validator = validator;
        this.labels = labels;
        this.tree = tree;
        this.audit = audit;
        this.messages = messages;
        this.executor = executor;
    }

    /** An import as its uploader sees it. */
    public record Job(long id, Kind kind, String fileName, String status, long bytesTotal, long bytesRead,
                      int totalRows, int errorRows, int inserted, int updated, int unchanged, String failureKey,
                      String failureArg, OffsetDateTime createdAt, OffsetDateTime finishedAt) {
        public int validRows() {
            return totalRows - errorRows;
        }

        /** How far the check has read the file, 0-100, or -1 when the size is not known. */
        public int percentRead() {
            return bytesTotal <= 0 ? -1 : (int) Math.min(100, bytesRead * 100 / bytesTotal);
        }
    }

    /** One problem of one row, translated. */
    public record RowProblem(int rowNo, String field, String message) {
    }

    // ---- upload and check ------------------------------------------------------------------------------------

    /** Stores the upload and checks it in the background; the job page shows progress and then the preview. */
    public long upload(Kind kind, String fileName, InputStream in, PeiyuUser user) throws IOException {
        Path file = Files.createTempFile("peiyu-import-", ".upload");
        try {
            long size = Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            if (size == 0) {
                throw new BadInputException("file", "file.error.empty");
            }
            long id = createJob(kind, fileName, user.accountId(), user.scope());
            jdbc.sql("UPDATE import_job SET bytes_total = ? WHERE id = ?").params(size, id).update();
            executor.execute(() -> {
                try (InputStream fileIn = Files.newInputStream(file)) {
                    check(id, fileIn, user.scope());
                } catch (IOException e) {
                    fail(id, "file.error.badXlsx");
                } finally {
                    deleteQuietly(file);
                }
            });
            return id;
        } catch (RuntimeException | IOException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    /** Checks and applies at once, in this thread: for the demo generator and benchmarks, same path as uploads. */
    public Job importNow(Kind kind, String fileName, InputStream in, long accountId, Scope scope) throws IOException {
        long id = createJob(kind, fileName, accountId, scope);
        check(id, in, scope);
        if ("READY".equals(job(id).status())) {
            apply(id, accountId, "system");
        }
        return job(id);
    }

    private long createJob(Kind kind, String fileName, long accountId, Scope scope) {
        String name = fileName == null || fileName.isBlank() ? "upload" : Path.of(fileName).getFileName().toString();
        return jdbc.sql("INSERT INTO import_job (kind, file_name, account_id, scope_paths) VALUES (?, ?, ?, ?) RETURNING id")
                .params(kind.name(), name.length() > 200 ? name.substring(0, 200) : name, accountId,
                        scope.all() ? new String[0] : scope.unitPaths().toArray(String[]::new))
                .query(Long.class).single();
    }

    void check(long jobId, InputStream in, Scope scope) {
        Kind kind = Kind.valueOf(jdbc.sql("SELECT kind FROM import_job WHERE id = ?").param(jobId).query(String.class).single());
        Checker checker = kind == Kind.TEACHERS ? new TeacherChecker(jobId, scope) : new SchoolChecker(jobId, scope);
        checker.source = new CountingInputStream(in);
        try {
            TableFile.read(checker.source, TableFile.withHeader(cells -> checker.header = headerOf(cells,
                    checker.fields), checker::row));
            if (checker.header == null) {
                throw new BadInputException("file", "import.error.noRows");
            }
            checker.flush();
            checker.finish();
            int errors = jdbc.sql("SELECT count(*) FROM import_row WHERE job_id = ? AND problems IS NOT NULL")
                    .param(jobId).query(Integer.class).single();
            jdbc.sql("UPDATE import_job SET status = 'READY', total_rows = ?, error_rows = ? WHERE id = ?")
                    .params(checker.rows, errors, jobId).update();
        } catch (BadInputException e) {
            jdbc.sql("DELETE FROM import_row WHERE job_id = ?").param(jobId).update();
            fail(jobId, e.messageKey(), e.args().length > 0 ? String.valueOf(e.args()[0]) : null);
        } catch (IOException | RuntimeException e) {
            log.warn("Import {} could not be checked", jobId, e);
            jdbc.sql("DELETE FROM import_row WHERE job_id = ?").param(jobId).update();
            fail(jobId, "file.error.badXlsx");
        }
    }

    private void fail(long jobId, String key) {
        fail(jobId, key, null);
    }

    private void fail(long jobId, String key, String arg) {
        jdbc.sql("UPDATE import_job SET status = 'FAILED', failure_key = ?, failure_arg = ?, finished_at = now() "
                        + "WHERE id = ?")
                .params(key, arg, jobId).update();
    }

    /** Maps header cells to fields by their Chinese or English labels and aliases, then checks each row. */
    private abstract class Checker {
        final long jobId;
        final Scope scope;
        final List<String> fields;
        Map<String, Integer> header;
        CountingInputStream source;
        int rows;
        final List<Object[]> batch = new ArrayList<>();

        Checker(long jobId, Scope scope, List<String> fields) {
            this.jobId = jobId;
            this.scope = scope;
            this.fields = fields;
        }

        void row(int rowNo, Map<String, String> values) {
            rows++;
            BadInputException.Collector problems = new BadInputException.Collector();
            Object[] staged = check(rowNo, values, problems);
            batch.add(staged);
            if (batch.size() >= BATCH) {
                flush();
            }
            if (rows % 5000 == 0) {
                jdbc.sql("UPDATE import_job SET total_rows = ?, bytes_read = ? WHERE id = ?")
                        .params(rows, source.count, jobId).update();
            }
        }

        /** The row's problems as stored: a JSON array of {field, key, args}, or null for a valid row. */
        String problemsJson(BadInputException.Collector c) {
            if (c.isEmpty()) {
                return null;
            }
            return json.writeValueAsString(c.problems().stream().map(p -> Map.of("field", p.field(), "key",
                    p.messageKey(), "args", Arrays.stream(p.args()).map(String::valueOf).toList())).toList());
        }

        abstract Object[] check(int rowNo, Map<String, String> values, BadInputException.Collector problems);

        abstract void flush();

        void finish() {
        }
    }

    private Map<String, Integer> headerOf(List<String> cells, List<String> fields) {
        Map<String, String> known = new HashMap<>();
        for (String f : fields) {
            for (Locale l : new Locale[] {Locale.SIMPLIFIED_CHINESE, Locale.ENGLISH}) {
                known.put(norm(messages.getMessage("import.column." + f, null, f, l)), f);
                for (String alias : messages.getMessage("import.alias." + f, null, "", l).split(",")) {
                    if (!alias.isBlank()) {
                        known.put(norm(alias), f);
                    }
                }
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
        List<String> required = fields.stream().filter(f -> List.of("name", "idCard", "schoolCode", "schoolName",
                "divisionCode", "type", "areaClass").contains(f)).toList();
        for (String r : required) {
            if (!header.containsKey(r)) {
                throw new BadInputException("file", "import.error.missingColumn", r); // translated when shown
            }
        }
        return header;
    }

    private static String norm(String s) {
        String c = Text.clean(s);
        return c == null ? "" : c.replace(" ", "").replace("*", "").toLowerCase(Locale.ROOT);
    }

    private final class TeacherChecker extends Checker {
        private final Map<String, long[]> schools = new HashMap<>(); // code → {id}
        private final Map<String, Integer> seenIds = new HashMap<>();
        private final Map<String, Integer> seenStaff = new HashMap<>();
        private final LocalDate today = LocalDate.now();

        TeacherChecker(long jobId, Scope scope) {
            super(jobId, scope, TEACHER_COLUMNS);
            for (School s : tree.allSchools(scope)) {
                schools.put(s.code(), new long[] {s.id()});
            }
        }

        @Override
        Object[] check(int rowNo, Map<String, String> v, BadInputException.Collector problems) {
            TeacherInput in = new TeacherInput(v.get("name"), v.get("idCard"), v.get("gender"), v.get("phone"),
                    v.get("staffNo"), v.get("schoolCode"), v.get("subjects"), v.get("grades"), v.get("title"),
                    v.get("post"), v.get("birthDate"), v.get("teachingSince"), v.get("status"), v.get("teachingGroup"));
            ValidTeacher t = validator.validate(in, today, problems);
            Long schoolId = null;
            if (t != null) {
                long[] school = schools.get(t.schoolCode());
                if (school == null) {
                    problems.add("schoolCode", "teacher.error.unknownSchool", t.schoolCode());
                } else {
                    schoolId = school[0];
                    Integer first = seenIds.putIfAbsent(t.idCard().value(), rowNo);
                    if (first != null) {
                        problems.add("idCard", "import.error.duplicateInFile", first);
                    }
                    if (t.staffNo() != null) {
                        Integer firstStaff = seenStaff.putIfAbsent(schoolId + "/" + t.staffNo(), rowNo);
                        if (firstStaff != null) {
                            problems.add("staffNo", "import.error.duplicateInFile", firstStaff);
                        }
                    }
                }
            }
            String problemsJson = problemsJson(problems);
            if (problemsJson != null || t == null) {
                return new Object[] {jobId, rowNo, problemsJson, Text.clean(in.name()), null, null, null, null, null,
                        null, null, Text.clean(in.staffNo()), null, null, null, null, null, null, null, null, null};
            }
            String id = t.idCard().value();
            return new Object[] {jobId, rowNo, null, t.name(), t.gender().name(), pii.encrypt(id), pii.hash(id),
                    PersonalData.maskIdCard(id), pii.encrypt(t.phone()), pii.hash(t.phone()),
                    PersonalData.maskPhone(t.phone()), t.staffNo(), schoolId, t.subjects().toArray(String[]::new),
                    t.grades().toArray(String[]::new), t.title() == null ? null : t.title().name(), t.post(),
                    t.birthDate(), t.teachingSince(), t.status().name(), t.teachingGroup()};
        }

        @Override
        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            jdbcTemplate.batchUpdate("""
                    INSERT INTO import_row (job_id, row_no, problems, name, gender, id_card_cipher, id_card_hash,
                      id_card_masked, phone_cipher, phone_hash, phone_masked, staff_no, school_id, subjects, grades,
                      title, post, birth_date, teaching_since, status, teaching_group)
                    VALUES (?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    batch, BATCH, (PreparedStatement ps, Object[] r) -> {
                        for (int i = 0; i < r.length; i++) {
                            Object o = r[i];
                            if (o instanceof String[] arr) {
                                ps.setArray(i + 1, ps.getConnection().createArrayOf("text", arr));
                            } else if (o == null) {
                                ps.setNull(i + 1, i == 5 || i == 6 || i == 8 || i == 9 ? Types.BINARY : Types.OTHER);
                            } else {
                                ps.setObject(i + 1, o);
                            }
                        }
                    });
            batch.clear();
        }

        /** Problems only the database can see: a staff number taken, or a teacher registered outside the scope. */
        @Override
        void finish() {
            jdbc.sql("""
                    UPDATE import_row r SET problems = jsonb_build_array(jsonb_build_object('field', 'staffNo',
                        'key', 'teacher.error.duplicateStaffNo', 'args', jsonb_build_array(r.staff_no)))
                    FROM teacher t
                    WHERE r.job_id = ? AND r.problems IS NULL AND t.school_id = r.school_id AND t.staff_no = r.staff_no
                      AND t.id_card_hash <> r.id_card_hash""").param(jobId).update();
            if (!scope.all()) {
                jdbc.sql("""
                        UPDATE import_row r SET problems = jsonb_build_array(jsonb_build_object('field', 'idCard',
                            'key', 'teacher.error.duplicateIdCard', 'args', jsonb_build_array()))
                        FROM teacher t, import_job j
                        WHERE r.job_id = ? AND j.id = r.job_id AND r.problems IS NULL AND t.id_card_hash = r.id_card_hash
                          AND NOT EXISTS (SELECT 1 FROM unnest(j.scope_paths) p WHERE t.path LIKE p || '%')""")
                        .param(jobId).update();
            }
        }
    }

    private final class SchoolChecker extends Checker {
        private final Map<String, Integer> seen = new HashMap<>();

        SchoolChecker(long jobId, Scope scope) {
            super(jobId, scope, SCHOOL_COLUMNS);
        }

        @Override
        Object[] check(int rowNo, Map<String, String> v, BadInputException.Collector problems) {
            String code = Text.clean(v.get("schoolCode"));
            String name = Text.clean(v.get("schoolName"));
            String divisionCode = Text.clean(v.get("divisionCode"));
            SchoolType type = labels.parse(SchoolType.class, v.get("type"));
            AreaClass area = labels.parse(AreaClass.class, v.get("areaClass"));
            String address = Text.clean(v.get("address"));
            if (code == null || !code.matches("\\d{10}")) {
                problems.add("schoolCode", "school.error.code");
            } else {
                Integer first = seen.putIfAbsent(code, rowNo);
                if (first != null) {
                    problems.add("schoolCode", "import.error.duplicateInFile", first);
                }
            }
            if (name == null) {
                problems.add("schoolName", "error.required");
            } else if (name.length() > 100) {
                problems.add("schoolName", "error.tooLong", 100);
            }
            Division d = divisionCode == null ? null : tree.division(divisionCode).orElse(null);
            if (d == null || d.level() != 3 || !scope.covers(d.path())) {
                problems.add("divisionCode", "school.error.division");
            }
            if (type == null) {
                problems.add("type", Text.clean(v.get("type")) == null ? "error.required" : "error.unknownValue",
                        Text.clean(v.get("type")));
            }
            if (area == null) {
                problems.add("areaClass", Text.clean(v.get("areaClass")) == null ? "error.required"
                        : "error.unknownValue", Text.clean(v.get("areaClass")));
            }
            if (address != null && address.length() > 200) {
                problems.add("address", "error.tooLong", 200);
            }
            return new Object[] {jobId, rowNo, problemsJson(problems), name, code, divisionCode,
                    type == null ? null : type.name(), area == null ? null : area.name(), address};
        }

        @Override
        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            jdbcTemplate.batchUpdate("INSERT INTO import_row (job_id, row_no, problems, name, code, division_code, type, "
                    + "area_class, address) VALUES (?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?, ?)", batch);
            batch.clear();
        }

        /** A school that exists outside the uploader's scope cannot be taken over by an import. */
        @Override
        void finish() {
            if (!scope.all()) {
                jdbc.sql("""
                        UPDATE import_row r SET problems = jsonb_build_array(jsonb_build_object('field', 'schoolCode',
                            'key', 'school.error.duplicate', 'args', jsonb_build_array(r.code)))
                        FROM school s, import_job j
                        WHERE r.job_id = ? AND j.id = r.job_id AND r.problems IS NULL AND s.code = r.code
                          AND NOT EXISTS (SELECT 1 FROM unnest(j.scope_paths) p WHERE s.path LIKE p || '%')""")
                        .param(jobId).update();
            }
        }
    }

    /** Counts the bytes the reader has taken, for the progress bar. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    // ---- apply -----------------------------------------------------------------------------------------------

    /** Applies the valid rows of a checked import, in the background. */
    public void applyLater(long jobId, PeiyuUser user) {
        Job job = job(jobId, user);
        if (!"READY".equals(job.status())) {
            throw new BadInputException("job", "import.error.notReady");
        }
        jdbc.sql("UPDATE import_job SET status = 'APPLYING' WHERE id = ? AND status = 'READY'").param(jobId).update();
        executor.execute(() -> apply(jobId, user.accountId(), user.getUsername()));
    }

    void apply(long jobId, long accountId, String actor) {
        try {
            tx.executeWithoutResult(status -> {
                Kind kind = Kind.valueOf(jdbc.sql("SELECT kind FROM import_job WHERE id = ? FOR UPDATE").param(jobId)
                        .query(String.class).single());
                int[] counts = kind == Kind.TEACHERS ? applyTeachers(jobId, actor) : applySchools(jobId);
                int valid = jdbc.sql("SELECT count(*) FROM import_row WHERE job_id = ? AND problems IS NULL")
                        .param(jobId).query(Integer.class).single();
                jdbc.sql("""
                        UPDATE import_job SET status = 'DONE', inserted = ?, updated = ?, unchanged = ?, finished_at = now()
                        WHERE id = ?""").params(counts[0], counts[1], valid - counts[0] - counts[1], jobId).update();
                // applied rows live on in the directory; only the problem rows stay, for the report
                jdbc.sql("DELETE FROM import_row WHERE job_id = ? AND problems IS NULL").param(jobId).update();
                audit.record(accountId, actor, "import.apply", "import_job", jobId, null,
                        kind + ": " + counts[0] + " new, " + counts[1] + " updated");
            });
        } catch (RuntimeException e) {
            log.warn("Import {} could not be applied", jobId, e);
            fail(jobId, "import.error.applyConflict");
        }
    }

    private int[] applyTeachers(long jobId, String actor) {
        return jdbc.sql("""
                WITH src AS (
                    SELECT r.*, s.path FROM import_row r JOIN school s ON s.id = r.school_id
                    WHERE r.job_id = ? AND r.problems IS NULL),
                before AS (
                    SELECT t.id, t.school_id, t.id_card_hash FROM teacher t JOIN src USING (id_card_hash)),
                up AS (
                    INSERT INTO teacher AS t (name, gender, id_card_cipher, id_card_hash, id_card_masked, phone_cipher,
                      phone_hash, phone_masked, staff_no, school_id, path, subjects, grades, title, post, birth_date,
                      teaching_since, status, teaching_group)
                    SELECT name, gender, id_card_cipher, id_card_hash, id_card_masked, phone_cipher, phone_hash,
                      phone_masked, staff_no, school_id, path, subjects, grades, title, post, birth_date,
                      teaching_since, status, teaching_group FROM src
                    ON CONFLICT (id_card_hash) DO UPDATE SET name = EXCLUDED.name, gender = EXCLUDED.gender,
                      phone_cipher = CASE WHEN t.phone_hash IS DISTINCT FROM EXCLUDED.phone_hash
                                          THEN EXCLUDED.phone_cipher ELSE t.phone_cipher END,
                      phone_hash = EXCLUDED.phone_hash, phone_masked = EXCLUDED.phone_masked,
                      staff_no = EXCLUDED.staff_no, school_id = EXCLUDED.school_id, path = EXCLUDED.path,
                      subjects = EXCLUDED.subjects, grades = EXCLUDED.grades, title = EXCLUDED.title,
                      post = EXCLUDED.post, birth_date = EXCLUDED.birth_date, teaching_since = EXCLUDED.teaching_since,
                      status = EXCLUDED.status, teaching_group = EXCLUDED.teaching_group, updated_at = now()
                    WHERE (t.name, t.gender, t.phone_hash, t.staff_no, t.school_id, t.subjects, t.grades, t.title,
                           t.post, t.birth_date, t.teaching_since, t.status, t.teaching_group)
                      IS DISTINCT FROM
                          (EXCLUDED.name, EXCLUDED.gender, EXCLUDED.phone_hash, EXCLUDED.staff_no, EXCLUDED.school_id,
                           EXCLUDED.subjects, EXCLUDED.grades, EXCLUDED.title, EXCLUDED.post, EXCLUDED.birth_date,
                           EXCLUDED.teaching_since, EXCLUDED.status, EXCLUDED.teaching_group)
                    RETURNING (xmax = 0) AS inserted),
                moved AS (
                    INSERT INTO teacher_transfer (teacher_id, from_school_id, to_school_id, by_actor, reason)
                    SELECT b.id, b.school_id, src.school_id, ?, 'import' FROM before b JOIN src USING (id_card_hash)
                    WHERE b.school_id <> src.school_id RETURNING 1)
                SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up""")
                .params(jobId, actor)
                .query((rs, n) -> new int[] {rs.getInt(1), rs.getInt(2)}).single();
    }

    private int[] applySchools(long jobId) {
        int[] counts = jdbc.sql("""
                WITH src AS (
                    SELECT r.*, d.path || r.code || '/' AS path FROM import_row r JOIN division d ON d.code = r.division_code
                    WHERE r.job_id = ? AND r.problems IS NULL),
                up AS (
                    INSERT INTO school AS s (code, name, division_code, type, area_class, address, path)
                    SELECT code, name, division_code, type, area_class, address, path FROM src
                    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, division_code = EXCLUDED.division_code,
                      type = EXCLUDED.type, area_class = EXCLUDED.area_class, address = EXCLUDED.address,
                      path = EXCLUDED.path, updated_at = now()
                    WHERE (s.name, s.division_code, s.type, s.area_class, s.address)
                      IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.division_code, EXCLUDED.type, EXCLUDED.area_class,
                                        EXCLUDED.address)
                    RETURNING (xmax = 0) AS inserted)
                SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up""")
                .param(jobId)
                .query((rs, n) -> new int[] {rs.getInt(1), rs.getInt(2)}).single();
        // a school moved to another district takes its teachers' paths along
        jdbc.sql("UPDATE teacher t SET path = s.path FROM school s WHERE t.school_id = s.id AND t.path <> s.path "
                + "AND s.code IN (SELECT code FROM import_row WHERE job_id = ?)").param(jobId).update();
        return counts;
    }

    /** Imports hold personal data in staging rows: they are kept for 30 days, then removed with their rows. */
    @org.springframework.scheduling.annotation.Scheduled(cron = "0 17 3 * * *")
    public void purgeOld() {
        int n = jdbc.sql("DELETE FROM import_job WHERE created_at < now() - interval '30 days'").update();
        if (n > 0) {
            log.info("Purged {} imports older than 30 days", n);
        }
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    /** The job, if it is the user's own (imports hold personal data of the uploader's scope only). */
    public Job job(long jobId, PeiyuUser user) {
        Job job = job(jobId);
        long owner = jdbc.sql("SELECT account_id FROM import_job WHERE id = ?").param(jobId).query(Long.class).single();
        if (owner != user.accountId() && !user.scope().all()) {
            throw new NotFoundException();
        }
        return job;
    }

    Job job(long jobId) {
        return jdbc.sql("""
                        SELECT id, kind, file_name, status, bytes_total, bytes_read, total_rows, error_rows, inserted, updated, unchanged,
                          failure_key, failure_arg, created_at, finished_at FROM import_job WHERE id = ?""")
                .param(jobId).query(Job.class).optional().orElseThrow(NotFoundException::new);
    }

    public List<Job> recent(PeiyuUser user) {
        return jdbc.sql("""
                        SELECT id, kind, file_name, status, bytes_total, bytes_read, total_rows, error_rows, inserted, updated, unchanged,
                          failure_key, failure_arg, created_at, finished_at FROM import_job WHERE account_id = ?
                        ORDER BY created_at DESC LIMIT 20""")
                .param(user.accountId()).query(Job.class).list();
    }

    public Page<RowProblem> problems(long jobId, PeiyuUser user, int page, Locale locale) {
        Job job = job(jobId, user);
        int size = 50;
        int p = Math.max(1, page);
        List<RowProblem> items = new ArrayList<>();
        forEachProblem(jobId, size, (long) (p - 1) * size, locale, items::add);
        return new Page<>(items, job.errorRows(), p, size);
    }

    /** The problems of every row as .xlsx: row number, column, message. */
    public void errorReport(long jobId, PeiyuUser user, Locale locale, OutputStream out) throws IOException {
        job(jobId, user);
        try (XlsxExport x = new XlsxExport(out, "errors", List.of(msg("import.report.row", locale),
                msg("import.report.column", locale), msg("import.report.problem", locale)))) {
            forEachProblem(jobId, Integer.MAX_VALUE, 0, locale, p -> {
                x.row(List.of(p.rowNo(), p.field(), p.message()));
            });
        }
    }

    private void forEachProblem(long jobId, int limit, long offset, Locale locale, Consumer<RowProblem> sink) {
        jdbc.sql("SELECT row_no, problems::text FROM import_row WHERE job_id = ? AND problems IS NOT NULL "
                        + "ORDER BY row_no LIMIT ? OFFSET ?")
                .params(jobId, limit, offset)
                .query((org.springframework.jdbc.core.RowCallbackHandler) rs -> {
                        int rowNo = rs.getInt(1);
                        for (var node : json.readTree(rs.getString(2))) {
                            String field = node.get("field").asString();
                            Object[] args = new Object[node.get("args").size()];
                            for (int i = 0; i < args.length; i++) {
                                args[i] = node.get("args").get(i).asString();
                            }
                            sink.accept(new RowProblem(rowNo, msg("import.column." + field, locale),
                                    messages.getMessage(node.get("key").asString(), args, locale)));
                        }
                });
    }

    /** An empty template with the column headers in the user's language. */
    public void template(Kind kind, Locale locale, OutputStream out) throws IOException {
        List<String> fields = kind == Kind.TEACHERS ? TEACHER_COLUMNS : SCHOOL_COLUMNS;
        try (XlsxExport x = new XlsxExport(out, msg("import.kind." + kind, locale),
                fields.stream().map(f -> msg("import.column." + f, locale)).toList())) {
            // headers only: a sample row would be imported by whoever forgets to delete it
        }
    }

    private String msg(String key, Locale locale) {
        return messages.getMessage(key, null, key, locale);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("Could not delete {}", file, e);
        }
    }
}
