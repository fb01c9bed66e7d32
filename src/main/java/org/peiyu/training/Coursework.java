package org.peiyu.training;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.peiyu.assessment.AssessmentItem;
import org.peiyu.assessment.ItemBank;
import org.peiyu.directory.Teachers;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.files.FileKinds;
import org.peiyu.platform.notification.Notifications;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Coursework done inside Peiyu by an enrolled teacher: the course's assignment handed in (a file, a text or both) and
 * graded by the organiser, a failed one handed in again; the course's test taken on its instrument, the best of the
 * allowed attempts counting. Each result goes where the organiser's own record goes, so the course completes (hours
 * posted, certificate issued) the moment its last requirement is met.
 */
@Component
public class Coursework {

    static final long MAX_FILE = 50L * 1024 * 1024;
    static final int MAX_TEXT = 10_000;

    public enum Grade { PASS, FAIL }

    /** An assignment as handed in, and its grade once given. */
    public record Submission(int revision, String text, String fileName, long size, OffsetDateTime submittedAt,
                             Grade grade, String comment, String gradedBy, OffsetDateTime gradedAt) {
        public boolean awaitingGrade() {
            return grade == null;
        }
    }

    /**
     * Where a teacher stands in one course: sessions attended of those held, the assignment (and whether the course
     * counts it done, which the organiser may also record), the best test score and the attempts used, and the
     * certificate once completed.
     */
    public record Work(Programs.Course course, long teacherId, String teacherName, long sessions, long attended,
                       Submission submission, boolean assignmentDone, BigDecimal score, int attempts,
                       String certificate) {
        public boolean attendanceMet() {
            return sessions > 0 && attended * 100 >= sessions * course.minAttendance();
        }

        public boolean testPassed() {
            return course.minScore() != null && score != null
                    && score.compareTo(BigDecimal.valueOf(course.minScore())) >= 0;
        }

        /** Whether the teacher may take the course's test now. */
        public boolean canTakeTest() {
            return course.testInstrumentId() != null && certificate == null && !testPassed()
                    && attempts < course.testAttempts();
        }

        /** Whether the teacher may hand the assignment in (again) now. */
        public boolean canHandIn() {
            return course.needsAssignment() && certificate == null && !assignmentDone
                    && (submission == null || submission.grade() == Grade.FAIL);
        }
    }

    /** The outcome of one test attempt. */
    public record Attempt(BigDecimal score, boolean passed, int attemptsLeft, Optional<String> certificate) {
    }

    public record FileContent(String fileName, String contentType, byte[] content) {
    }

    private final JdbcClient jdbc;
    private final Programs programs;
    private final Enrolments enrolments;
    private final ItemBank bank;
    private final Teachers teachers;
    private final Notifications notifications;
    private final AuditLog audit;

    Coursework(JdbcClient jdbc, Programs programs, Enrolments enrolments, ItemBank bank, Teachers teachers,
               Notifications notifications, AuditLog audit) {
        this.jdbc = jdbc;
        this.programs = programs;
        this.enrolments = enrolments;
        this.bank = bank;
        this.teachers = teachers;
        this.notifications = notifications;
        this.audit = audit;
    }

    private static final String WORK = "SELECT " + Programs.COURSE_COLUMNS + """
            , e.teacher_id,
              (SELECT count(*) FROM training_session s WHERE s.course_id = c.id),
              (SELECT count(*) FROM training_attendance a JOIN training_session s ON s.id = a.session_id
               WHERE s.course_id = c.id AND a.teacher_id = e.teacher_id),
              w.revision, w.text, w.file_name, w.size_bytes, w.submitted_at, w.grade, w.comment, w.graded_by,
              w.graded_at, coalesce(r.assignment_done, false), r.score,
              (SELECT count(*) FROM training_test_attempt t WHERE t.course_id = c.id AND t.teacher_id = e.teacher_id),
              x.certificate_code
            FROM training_course c
            JOIN training_enrolment e ON e.program_id = c.program_id AND e.status = 'ENROLLED'
            LEFT JOIN training_submission w ON w.course_id = c.id AND w.teacher_id = e.teacher_id
            LEFT JOIN training_result r ON r.course_id = c.id AND r.teacher_id = e.teacher_id
            LEFT JOIN training_completion x ON x.course_id = c.id AND x.teacher_id = e.teacher_id
            WHERE""";

    /** Every course of the programmes a teacher is enrolled in, by programme and code. */
    public List<Work> of(long teacherId) {
        return works(WORK + " e.teacher_id = ? ORDER BY e.since DESC, c.program_id, c.code", teacherId);
    }

    /** A teacher's work in one course of a programme they are enrolled in (404 otherwise). */
    public Work of(long courseId, long teacherId) {
        return works(WORK + " c.id = ? AND e.teacher_id = ?", courseId, teacherId).stream().findFirst()
                .orElseThrow(NotFoundException::new);
    }

    /** The work of every enrolled teacher in the courses of a programme that set an assignment or a test. */
    public List<Work> ofProgram(long programId, Scope scope) {
        programs.get(programId, scope);
        List<Work> rows = works(WORK + " c.program_id = ? AND (c.needs_assignment OR c.min_score IS NOT NULL) "
                + "ORDER BY c.code, e.since, e.teacher_id", programId);
        Map<Long, String> names = teachers.names(rows.stream().map(Work::teacherId).distinct().toList());
        return rows.stream().map(w -> new Work(w.course(), w.teacherId(), names.get(w.teacherId()), w.sessions(),
                w.attended(), w.submission(), w.assignmentDone(), w.score(), w.attempts(), w.certificate())).toList();
    }

    private List<Work> works(String sql, Object... params) {
        int w = 15; // the course's columns come first
        return jdbc.sql(sql).params(params).query((rs, n) -> {
            Submission s = rs.getObject(w + 4) == null ? null : new Submission(rs.getInt(w + 4), rs.getString(w + 5),
                    rs.getString(w + 6), rs.getLong(w + 7), rs.getObject(w + 8, OffsetDateTime.class),
                    rs.getString(w + 9) == null ? null : Grade.valueOf(rs.getString(w + 9)), rs.getString(w + 10),
                    rs.getString(w + 11), rs.getObject(w + 12, OffsetDateTime.class));
            return new Work(Programs.course(rs, n), rs.getLong(w + 1), null, rs.getLong(w + 2), rs.getLong(w + 3), s,
                    rs.getBoolean(w + 13), rs.getBigDecimal(w + 14), rs.getInt(w + 15), rs.getString(w + 16));
        }).list();
    }

    // ---- the assignment ------------------------------------------------------------------------------------------

    /**
     * A teacher hands the assignment in, or again after it failed: a text, a file (PDF, image, Office document or
     * MP4 video, by its content, at most 50 MB) or both. Nothing is kept if any part is wrong.
     */
    @Transactional
    public void handIn(long courseId, long teacherId, String text, String fileName, byte[] content) {
        lock(courseId, teacherId);
        Work w = of(courseId, teacherId);
        if (!w.course().needsAssignment()) {
            throw new NotFoundException();
        }
        if (!w.canHandIn()) {
            throw new BadInputException("assignment", w.submission() != null && w.submission().awaitingGrade()
                    ? "training.error.awaitingGrade" : "training.error.assignmentDone");
        }
        BadInputException.Collector errors = new BadInputException.Collector();
        String body = text == null || text.isBlank() ? null : text.strip();
        boolean file = content != null && content.length > 0;
        String type = file ? FileKinds.of(content) : null;
        if (body == null && !file) {
            errors.add("text", "training.error.handInEmpty");
        }
        if (body != null && body.length() > MAX_TEXT) {
            errors.add("text", "training.error.handInText", MAX_TEXT);
        }
        if (file && type == null) {
            errors.add("file", "training.error.handInType");
        } else if (file && content.length > MAX_FILE) {
            errors.add("file", "training.error.handInSize", MAX_FILE >> 20);
        }
        errors.throwIfAny();
        String name = !file ? null : fileName == null || fileName.isBlank() ? "assignment"
                : java.nio.file.Path.of(fileName).getFileName().toString();
        jdbc.sql("""
                        INSERT INTO training_submission (course_id, teacher_id, text, file_name, content_type,
                          size_bytes, content) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (course_id, teacher_id) DO UPDATE SET revision = training_submission.revision + 1,
                          text = excluded.text, file_name = excluded.file_name, content_type = excluded.content_type,
                          size_bytes = excluded.size_bytes, content = excluded.content, submitted_at = now(),
                          grade = NULL, comment = NULL, graded_by = NULL, graded_at = NULL""")
                .params(courseId, teacherId, body, name == null || name.length() <= 200 ? name : name.substring(0, 200),
                        type, file ? content.length : null, file ? content : null).update();
        audit.record("training.handIn", "training_course", courseId, pathOf(w), null);
    }

    /**
     * The organiser grades an assignment waiting for it: a pass counts the assignment done (and may complete the
     * course), a fail needs a comment saying what to change. The teacher is notified either way. Returns the
     * certificate if the pass completed the course.
     */
    @Transactional
    public Optional<String> grade(long courseId, long teacherId, Grade grade, String comment, Scope scope,
                                  String by) {
        Programs.Course c = programs.course(courseId).orElseThrow(NotFoundException::new);
        Programs.Program p = programs.get(c.programId(), scope);
        lock(courseId, teacherId);
        Work w = of(courseId, teacherId);
        if (w.submission() == null || !w.submission().awaitingGrade()) {
            throw new BadInputException("grade", "training.error.notAwaiting");
        }
        String note = comment == null || comment.isBlank() ? null : comment.strip();
        if (grade == null) {
            throw new BadInputException("grade", "error.required");
        }
        if (grade == Grade.FAIL && note == null || note != null && note.length() > 1000) {
            throw new BadInputException("comment", "training.error.comment");
        }
        jdbc.sql("UPDATE training_submission SET grade = ?, comment = ?, graded_by = ?, graded_at = now() "
                + "WHERE course_id = ? AND teacher_id = ?").params(grade.name(), note, by, courseId, teacherId)
                .update();
        audit.record("training.grade", "training_course", courseId, p.unitPath(), teacherId + ": " + grade);
        notifications.send(List.of(teacherId), "training.grade:" + courseId + ":" + w.submission().revision(),
                "training.notice.graded." + grade, c.title(), "/my/training/courses/" + courseId, by);
        if (grade == Grade.FAIL) {
            return Optional.empty();
        }
        jdbc.sql("""
                        INSERT INTO training_result (course_id, teacher_id, assignment_done, recorded_by)
                        VALUES (?, ?, true, ?) ON CONFLICT (course_id, teacher_id) DO UPDATE SET
                          assignment_done = true, recorded_by = excluded.recorded_by, recorded_at = now()""")
                .params(courseId, teacherId, by).update();
        return enrolments.completeIfDone(courseId, teacherId);
    }

    /** The file of a teacher's assignment, for the teacher. */
    public FileContent file(long courseId, long teacherId) {
        of(courseId, teacherId);
        return fileOf(courseId, teacherId);
    }

    /** The file of a teacher's assignment, for the programme's admins. */
    public FileContent file(long courseId, long teacherId, Scope scope) {
        Programs.Course c = programs.course(courseId).orElseThrow(NotFoundException::new);
        programs.get(c.programId(), scope);
        return fileOf(courseId, teacherId);
    }

    private FileContent fileOf(long courseId, long teacherId) {
        return jdbc.sql("SELECT file_name, content_type, content FROM training_submission WHERE course_id = ? "
                        + "AND teacher_id = ? AND content IS NOT NULL").params(courseId, teacherId)
                .query((rs, n) -> new FileContent(rs.getString(1), rs.getString(2), rs.getBytes(3))).optional()
                .orElseThrow(NotFoundException::new);
    }

    // ---- the test ------------------------------------------------------------------------------------------------

    /** The questions of a course's test, for a teacher who may take it now. */
    public List<AssessmentItem> test(long courseId, long teacherId) {
        return bank.instrument(testable(of(courseId, teacherId)).course().testInstrumentId()).questions();
    }

    private static Work testable(Work w) {
        if (w.course().testInstrumentId() == null) {
            throw new NotFoundException();
        }
        if (!w.canTakeTest()) {
            throw new BadInputException("test", "training.error.noAttempt");
        }
        return w;
    }

    /**
     * A teacher hands in an attempt at the course's test: every question answered, else each unanswered one named and
     * no attempt used. The best attempt counts towards completion.
     */
    @Transactional
    public Attempt takeTest(long courseId, long teacherId, Map<Long, List<String>> answers) {
        lock(courseId, teacherId);
        Work w = testable(of(courseId, teacherId));
        BigDecimal score = BigDecimal.valueOf(bank.mark(w.course().testInstrumentId(), answers))
                .setScale(1, RoundingMode.HALF_UP);
        jdbc.sql("INSERT INTO training_test_attempt (course_id, teacher_id, attempt, answers, score) "
                        + "VALUES (?, ?, ?, CAST(? AS jsonb), ?)")
                .params(courseId, teacherId, w.attempts() + 1, tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(answers), score).update();
        jdbc.sql("""
                        INSERT INTO training_result (course_id, teacher_id, score, recorded_by) VALUES (?, ?, ?, 'test')
                        ON CONFLICT (course_id, teacher_id) DO UPDATE SET
                          score = greatest(training_result.score, excluded.score), recorded_at = now()""")
                .params(courseId, teacherId, score).update();
        audit.record("training.test", "training_course", courseId, pathOf(w), String.valueOf(score));
        boolean passed = score.compareTo(BigDecimal.valueOf(w.course().minScore())) >= 0;
        return new Attempt(score, passed, passed ? 0 : w.course().testAttempts() - w.attempts() - 1,
                enrolments.completeIfDone(courseId, teacherId));
    }

    /** One change at a time to a teacher's work in a course: two hand-ins or attempts cannot both count. */
    private void lock(long courseId, long teacherId) {
        jdbc.sql("SELECT e.teacher_id FROM training_enrolment e JOIN training_course c ON c.program_id = e.program_id "
                        + "WHERE c.id = ? AND e.teacher_id = ? FOR UPDATE OF e").params(courseId, teacherId)
                .query(Long.class).optional();
    }

    private String pathOf(Work w) {
        return teachers.paths(List.of(w.teacherId())).get(w.teacherId());
    }
}
