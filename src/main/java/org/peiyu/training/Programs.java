package org.peiyu.training;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.peiyu.assessment.ItemBank;
import org.peiyu.credit.RuleSets;
import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.Unit;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Training programmes (国培/省培/市培/区培/校本研修) organised by a unit for the teachers below it, their courses (hours
 * split into theory, practice and online, a category, the share of sessions that completes them) and sessions (each
 * with a sign-in code).
 */
@Component
public class Programs {

    static final SecureRandom RANDOM = new SecureRandom();

    public enum Delivery { ONLINE, OFFLINE, BLENDED }

    public record ProgramForm(String unitCode, String code, String title, Level level, String organiser,
                              Delivery delivery, Integer capacity, LocalDate enrolOpens, LocalDate enrolCloses) {
    }

    public record Program(long id, String unitPath, String code, String title, Level level, String organiser,
                          Delivery delivery, int capacity, LocalDate enrolOpens, LocalDate enrolCloses, long enrolled,
                          long waitlisted) {
    }

    /**
     * A course; it is completed by attending enough sessions, and passing an assignment and a test if it sets them.
     * The assignment is handed in here (its brief says what to hand in); the test is taken here on an instrument of
     * the item bank, in as many attempts as allowed, or marked by the organiser where no instrument is set.
     */
    public record CourseForm(String code, String title, Category category, BigDecimal theoryHours,
                             BigDecimal practiceHours, BigDecimal onlineHours, String topic, Integer minAttendance,
                             boolean needsAssignment, String assignmentBrief, Integer minScore, Long testInstrumentId,
                             Integer testAttempts) {
    }

    public record Course(long id, long programId, String code, String title, Category category,
                         BigDecimal theoryHours, BigDecimal practiceHours, BigDecimal onlineHours, String topic,
                         int minAttendance,
                         boolean needsAssignment, String assignmentBrief, Integer minScore, Long testInstrumentId,
                         int testAttempts) {
        public BigDecimal hours() {
            return theoryHours.add(practiceHours).add(onlineHours);
        }
    }

    public record Session(long id, long courseId, OffsetDateTime startsAt, OffsetDateTime endsAt, String signInCode,
                          long attended) {
    }

    private final JdbcClient jdbc;
    private final DirectoryTree tree;
    private final ItemBank bank;
    private final RuleSets ruleSets;
    private final AuditLog audit;

    Programs(JdbcClient jdbc, DirectoryTree tree, ItemBank bank, RuleSets ruleSets, AuditLog audit) {
        this.ruleSets = ruleSets;
        this.jdbc = jdbc;
        this.bank = bank;
        this.tree = tree;
        this.audit = audit;
    }

    /** A new programme at a unit the admin administers; every field checked. */
    @Transactional
    public long create(ProgramForm f, Scope scope, String by) {
        BadInputException.Collector errors = new BadInputException.Collector();
        String path = f.unitCode() == null || f.unitCode().isBlank() ? null
                : tree.unit(f.unitCode().strip()).map(Unit::path).filter(scope::covers).orElse(null);
        if (path == null) {
            errors.add("unitCode", "account.error.unit");
        }
        String code = f.code() == null ? "" : f.code().strip();
        if (!code.matches("[A-Za-z0-9-]{2,30}")) {
            errors.add("code", "training.error.code");
        } else if (jdbc.sql("SELECT count(*) FROM training_program WHERE code = ?").param(code).query(Long.class)
                .single() > 0) {
            errors.add("code", "training.error.codeTaken");
        }
        text(f.title(), "title", 100, errors);
        text(f.organiser(), "organiser", 100, errors);
        if (f.level() == null) {
            errors.add("level", "error.required");
        }
        if (f.delivery() == null) {
            errors.add("delivery", "error.required");
        }
        if (f.capacity() == null || f.capacity() < 1 || f.capacity() > 100_000) {
            errors.add("capacity", "training.error.capacity");
        }
        if (f.enrolOpens() == null || f.enrolCloses() == null || f.enrolCloses().isBefore(f.enrolOpens())) {
            errors.add("enrolCloses", "training.error.window");
        }
        errors.throwIfAny();
        long id = jdbc.sql("""
                        INSERT INTO training_program (unit_path, code, title, level, organiser, delivery, capacity,
                          enrol_opens, enrol_closes, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(path, code, f.title().strip(), f.level().name(), f.organiser().strip(), f.delivery().name(),
                        f.capacity(), f.enrolOpens(), f.enrolCloses(), by)
                .query(Long.class).single();
        audit.record("training.program.create", "training_program", id, path, code);
        return id;
    }

    /** A course of a programme the admin sees. */
    @Transactional
    public long addCourse(long programId, CourseForm f, Scope scope) {
        Program p = get(programId, scope);
        BadInputException.Collector errors = new BadInputException.Collector();
        String code = f.code() == null ? "" : f.code().strip();
        if (!code.matches("[A-Za-z0-9-]{1,30}")) {
            errors.add("code", "training.error.code");
        } else if (courses(programId).stream().anyMatch(c -> c.code().equals(code))) {
            errors.add("code", "training.error.codeTaken");
        }
        text(f.title(), "title", 100, errors);
        BigDecimal total = BigDecimal.ZERO;
        for (var h : List.of(Map.entry("theoryHours", nonNull(f.theoryHours())),
                Map.entry("practiceHours", nonNull(f.practiceHours())),
                Map.entry("onlineHours", nonNull(f.onlineHours())))) {
            if (h.getValue().signum() < 0 || h.getValue().compareTo(BigDecimal.valueOf(500)) > 0
                    || h.getValue().stripTrailingZeros().scale() > 2) {
                errors.add(h.getKey(), "training.error.hours");
            }
            total = total.add(h.getValue());
        }
        if (total.signum() <= 0) {
            errors.add("theoryHours", "training.error.noHours");
        }
        String topic = ruleSets.topicKey(p.unitPath(), f.topic(), "topic", errors);
        if (f.minAttendance() == null || f.minAttendance() < 1 || f.minAttendance() > 100) {
            errors.add("minAttendance", "training.error.minAttendance");
        }
        if (f.minScore() != null && (f.minScore() < 1 || f.minScore() > 100)) {
            errors.add("minScore", "training.error.minScore");
        }
        String brief = f.assignmentBrief() == null || f.assignmentBrief().isBlank() ? null : f.assignmentBrief().strip();
        if (brief != null && (!f.needsAssignment() || brief.length() > 2000)) {
            errors.add("assignmentBrief", "training.error.brief");
        }
        if (f.testInstrumentId() != null) {
            if (!bank.exists(f.testInstrumentId())) {
                errors.add("testInstrumentId", "training.error.instrument");
            } else if (f.minScore() == null) {
                errors.add("minScore", "training.error.testNeedsScore");
            }
        }
        int attempts = f.testAttempts() == null ? 1 : f.testAttempts();
        if (attempts < 1 || attempts > 10) {
            errors.add("testAttempts", "training.error.attempts");
        }
        errors.throwIfAny();
        long id = jdbc.sql("""
                        INSERT INTO training_course (program_id, code, title, category, theory_hours, practice_hours,
                          online_hours, topic, min_attendance, needs_assignment, assignment_brief, min_score,
                          test_instrument_id, test_attempts)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(programId, code, f.title().strip(), f.category() == null ? null : f.category().name(),
                        nonNull(f.theoryHours()), nonNull(f.practiceHours()), nonNull(f.onlineHours()),
                        topic, f.minAttendance(), f.needsAssignment(), brief, f.minScore(), f.testInstrumentId(), attempts)
                .query(Long.class).single();
        audit.record("training.course.add", "training_course", id, p.unitPath(), code);
        return id;
    }

    /** A session of a course, with a fresh six-digit sign-in code. */
    @Transactional
    public long addSession(long courseId, OffsetDateTime startsAt, OffsetDateTime endsAt, Scope scope) {
        Course c = course(courseId).orElseThrow(NotFoundException::new);
        Program p = get(c.programId(), scope);
        if (startsAt == null || endsAt == null || !endsAt.isAfter(startsAt)) {
            throw new BadInputException("endsAt", "training.error.sessionTime");
        }
        String code = String.format("%06d", RANDOM.nextInt(1_000_000));
        long id = jdbc.sql("INSERT INTO training_session (course_id, starts_at, ends_at, sign_in_code) VALUES (?, ?, ?, ?) "
                + "RETURNING id").params(courseId, startsAt, endsAt, code).query(Long.class).single();
        audit.record("training.session.add", "training_session", id, p.unitPath(), null);
        return id;
    }

    private static final String SELECT = """
            SELECT p.id, p.unit_path, p.code, p.title, p.level, p.organiser, p.delivery, p.capacity, p.enrol_opens,
              p.enrol_closes, count(e.*) FILTER (WHERE e.status = 'ENROLLED'),
              count(e.*) FILTER (WHERE e.status = 'WAITLISTED')
            FROM training_program p LEFT JOIN training_enrolment e ON e.program_id = p.id""";

    /** A programme an admin sees (404 for others). */
    public Program get(long id, Scope scope) {
        return find(id).filter(p -> scope.covers(p.unitPath())).orElseThrow(NotFoundException::new);
    }

    Optional<Program> find(long id) {
        return jdbc.sql(SELECT + " WHERE p.id = ? GROUP BY p.id").param(id).query(Programs::program).optional();
    }

    /** Programmes by id, in one query. */
    Map<Long, Program> find(Collection<Long> ids) {
        Map<Long, Program> out = new HashMap<>();
        jdbc.sql(SELECT + " WHERE p.id = ANY(?) GROUP BY p.id").param(ids.toArray(Long[]::new))
                .query(Programs::program).list().forEach(p -> out.put(p.id(), p));
        return out;
    }

    /** The programmes organised under the admin's units, newest first. */
    public List<Program> list(Scope scope) {
        Scope.Sql s = scope.sql("p.unit_path", null);
        return jdbc.sql(SELECT + " WHERE " + s.clause() + " GROUP BY p.id ORDER BY p.enrol_opens DESC, p.id DESC LIMIT 200")
                .params(s.params()).query(Programs::program).list();
    }

    /** The programmes a teacher at this unit path may enrol in on a day: organised above them, window open. */
    public List<Program> openTo(String teacherPath, LocalDate day) {
        List<String> above = new ArrayList<>();
        for (int i = teacherPath.indexOf('/', 1); i > 0; i = teacherPath.indexOf('/', i + 1)) {
            above.add(teacherPath.substring(0, i + 1));
        }
        return jdbc.sql(SELECT + " WHERE p.unit_path = ANY(?) AND ? BETWEEN p.enrol_opens AND p.enrol_closes "
                        + "GROUP BY p.id ORDER BY p.enrol_closes, p.id")
                .params(above.toArray(String[]::new), day).query(Programs::program).list();
    }

    /** A course's columns, in the order {@link #course(java.sql.ResultSet, int)} reads them. */
    static final String COURSE_COLUMNS = "c.id, c.program_id, c.code, c.title, c.category, c.theory_hours, "
            + "c.practice_hours, c.online_hours, c.topic, c.min_attendance, c.needs_assignment, c.assignment_brief, "
            + "c.min_score, c.test_instrument_id, c.test_attempts";
    private static final String COURSE = "SELECT " + COURSE_COLUMNS + " FROM training_course c";

    public List<Course> courses(long programId) {
        return jdbc.sql(COURSE + " WHERE program_id = ? ORDER BY code").param(programId).query(Programs::course)
                .list();
    }

    Optional<Course> course(long id) {
        return jdbc.sql(COURSE + " WHERE id = ?").param(id).query(Programs::course).optional();
    }

    public List<Session> sessions(long programId) {
        return jdbc.sql("""
                        SELECT s.id, s.course_id, s.starts_at, s.ends_at, s.sign_in_code, count(a.*)
                        FROM training_session s JOIN training_course c ON c.id = s.course_id
                        LEFT JOIN training_attendance a ON a.session_id = s.id
                        WHERE c.program_id = ? GROUP BY s.id ORDER BY s.starts_at, s.id""")
                .param(programId).query((rs, n) -> new Session(rs.getLong(1), rs.getLong(2),
                        rs.getObject(3, OffsetDateTime.class), rs.getObject(4, OffsetDateTime.class), rs.getString(5),
                        rs.getLong(6))).list();
    }

    private static Program program(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Program(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Level.valueOf(rs.getString(5)), rs.getString(6), Delivery.valueOf(rs.getString(7)), rs.getInt(8),
                rs.getObject(9, LocalDate.class), rs.getObject(10, LocalDate.class), rs.getLong(11), rs.getLong(12));
    }

    static Course course(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        String category = rs.getString(5);
        return new Course(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                category == null ? null : Category.valueOf(category), rs.getBigDecimal(6), rs.getBigDecimal(7),
                rs.getBigDecimal(8), rs.getString(9), rs.getInt(10), rs.getBoolean(11), rs.getString(12),
                (Integer) rs.getObject(13), (Long) rs.getObject(14), rs.getInt(15));
    }

    private static void text(String v, String field, int max, BadInputException.Collector errors) {
        if (v == null || v.isBlank() || v.strip().length() > max) {
            errors.add(field, "training.error.text", max);
        }
    }

    private static BigDecimal nonNull(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }
}
