package org.peiyu.training;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.peiyu.credit.Compliance;
import org.peiyu.credit.CreditImports;
import org.peiyu.credit.CreditLedger;
import org.peiyu.credit.CreditLedger.Posting;
import org.peiyu.credit.CreditLedger.Source;
import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.directory.Teachers;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who takes part: enrolment by the teacher or by assignment, within the programme's capacity and then on its waiting
 * list (a withdrawal lets the first waiting teacher in); attendance by sign-in code or by the organiser; a course is
 * completed when enough of its sessions were attended and its assignment and test (if it sets them) passed, which
 * posts its hours to the ledger and issues a certificate.
 */
@Component
public class Enrolments {

    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    /** How long before a session starts and after it ends its code signs in. */
    private static final Duration GRACE = Duration.ofMinutes(30);

    public enum Status { ENROLLED, WAITLISTED, WITHDRAWN }

    /** A teacher's place in a programme. */
    public record Enrolment(Programs.Program program, Status status) {
    }

    /** A teacher in a programme, for its organiser. */
    public record Participant(long teacherId, String name, Status status, long attended) {
    }

    /** A completed course and its certificate. */
    public record Certificate(String code, long teacherId, String teacherName, String programTitle,
                              String courseTitle, String organiser, BigDecimal hours, LocalDate completedOn) {
    }

    private final JdbcClient jdbc;
    private final Programs programs;
    private final Teachers teachers;
    private final CreditLedger ledger;
    private final Compliance compliance;
    private final AuditLog audit;
    private final MessageSource messages;

    Enrolments(JdbcClient jdbc, Programs programs, Teachers teachers, CreditLedger ledger, Compliance compliance,
               AuditLog audit, MessageSource messages) {
        this.messages = messages;
        this.compliance = compliance;
        this.jdbc = jdbc;
        this.programs = programs;
        this.teachers = teachers;
        this.ledger = ledger;
        this.audit = audit;
    }

    /** A teacher enrols in a programme open to them today; returns their status (enrolled or waiting). */
    @Transactional
    public Status enrol(long programId, long teacherId) {
        String path = teachers.paths(List.of(teacherId)).get(teacherId);
        Programs.Program p = programs.openTo(path, LocalDate.now(CreditLedger.ZONE)).stream()
                .filter(x -> x.id() == programId).findFirst()
                .orElseThrow(() -> new BadInputException("program", "training.error.notOpen"));
        Status s = place(p, List.of(teacherId), null).get(teacherId);
        compliance.refresh(List.of(teacherId));
        return s;
    }

    /** An admin assigns teachers under the programme's unit (whatever the window); returns each one's status. */
    @Transactional
    public Map<Long, Status> assign(long programId, List<Long> teacherIds, Scope scope, String by) {
        Programs.Program p = programs.get(programId, scope);
        Map<Long, String> paths = teachers.paths(teacherIds);
        for (long t : teacherIds) {
            if (paths.get(t) == null || !paths.get(t).startsWith(p.unitPath())) {
                throw new BadInputException("teacher", "training.error.teacher");
            }
        }
        Map<Long, Status> out = place(p, teacherIds, by);
        compliance.refresh(teacherIds);
        audit.record("training.assign", "training_program", programId, p.unitPath(), teacherIds.size() + " teachers");
        return out;
    }

    /**
     * Enrolled while there is room, else on the waiting list, in the order given; someone already in keeps their
     * place. The programme is locked meanwhile, so two enrolments cannot take the last place.
     */
    private Map<Long, Status> place(Programs.Program p, List<Long> teacherIds, String by) {
        jdbc.sql("SELECT id FROM training_program WHERE id = ? FOR UPDATE").param(p.id()).query(Long.class).single();
        Map<Long, Status> current = new HashMap<>();
        jdbc.sql("SELECT teacher_id, status FROM training_enrolment WHERE program_id = ? AND teacher_id = ANY(?)")
                .params(p.id(), teacherIds.toArray(Long[]::new))
                .query(rs -> {
                    current.put(rs.getLong(1), Status.valueOf(rs.getString(2)));
                });
        long enrolled = jdbc.sql("SELECT count(*) FROM training_enrolment WHERE program_id = ? AND status = 'ENROLLED'")
                .param(p.id()).query(Long.class).single();
        Map<Long, Status> out = new LinkedHashMap<>();
        List<Long> placed = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        for (long t : teacherIds) {
            Status was = current.get(t);
            if (was != null && was != Status.WITHDRAWN || out.containsKey(t)) {
                out.putIfAbsent(t, was);
                continue;
            }
            Status s = enrolled < p.capacity() ? Status.ENROLLED : Status.WAITLISTED;
            enrolled += s == Status.ENROLLED ? 1 : 0;
            out.put(t, s);
            placed.add(t);
            statuses.add(s.name());
        }
        jdbc.sql("""
                        INSERT INTO training_enrolment (program_id, teacher_id, status, assigned_by)
                        SELECT ?, t, s, ? FROM unnest(?::bigint[], ?::text[]) WITH ORDINALITY AS x(t, s, n) ORDER BY n
                        ON CONFLICT (program_id, teacher_id) DO UPDATE SET status = excluded.status,
                          since = clock_timestamp(), assigned_by = excluded.assigned_by""")
                .params(p.id(), by, placed.toArray(Long[]::new), statuses.toArray(String[]::new)).update();
        return out;
    }

    /** A teacher leaves a programme; the first on the waiting list takes the place. */
    @Transactional
    public void withdraw(long programId, long teacherId) {
        jdbc.sql("SELECT id FROM training_program WHERE id = ? FOR UPDATE").param(programId).query(Long.class)
                .optional().orElseThrow(NotFoundException::new);
        Status was = status(programId, teacherId).orElseThrow(NotFoundException::new);
        jdbc.sql("UPDATE training_enrolment SET status = 'WITHDRAWN' WHERE program_id = ? AND teacher_id = ?")
                .params(programId, teacherId).update();
        List<Long> changed = new ArrayList<>(List.of(teacherId));
        if (was == Status.ENROLLED) {
            changed.addAll(jdbc.sql("""
                    UPDATE training_enrolment SET status = 'ENROLLED' WHERE program_id = ? AND teacher_id = (
                      SELECT teacher_id FROM training_enrolment WHERE program_id = ? AND status = 'WAITLISTED'
                      ORDER BY since, teacher_id LIMIT 1) RETURNING teacher_id""").params(programId, programId)
                    .query(Long.class).list());
        }
        compliance.refresh(changed); // their forecasts count the programme's courses, or no longer
    }

    Optional<Status> status(long programId, long teacherId) {
        return jdbc.sql("SELECT status FROM training_enrolment WHERE program_id = ? AND teacher_id = ?")
                .params(programId, teacherId).query(String.class).optional().map(Status::valueOf);
    }

    /** A teacher's programmes (withdrawn ones left out). */
    public List<Enrolment> of(long teacherId) {
        List<Map.Entry<Long, Status>> rows = jdbc.sql("SELECT program_id, status FROM training_enrolment "
                        + "WHERE teacher_id = ? AND status <> 'WITHDRAWN' ORDER BY since DESC").param(teacherId)
                .query((rs, n) -> Map.entry(rs.getLong(1), Status.valueOf(rs.getString(2)))).list();
        Map<Long, Programs.Program> found = programs.find(rows.stream().map(Map.Entry::getKey).toList());
        return rows.stream().map(e -> new Enrolment(found.get(e.getKey()), e.getValue())).toList();
    }

    /** The teachers of a programme, enrolled first, with how many sessions each attended. */
    public List<Participant> participants(long programId, Scope scope) {
        programs.get(programId, scope);
        List<Participant> rows = jdbc.sql("""
                        SELECT e.teacher_id, e.status, count(a.*) FROM training_enrolment e
                        LEFT JOIN training_attendance a ON a.teacher_id = e.teacher_id AND a.session_id IN (
                          SELECT s.id FROM training_session s JOIN training_course c ON c.id = s.course_id
                          WHERE c.program_id = e.program_id)
                        WHERE e.program_id = ? AND e.status <> 'WITHDRAWN' GROUP BY e.teacher_id, e.status, e.since
                        ORDER BY e.status, e.since, e.teacher_id""")
                .param(programId).query((rs, n) -> new Participant(rs.getLong(1), null,
                        Status.valueOf(rs.getString(2)), rs.getLong(3))).list();
        Map<Long, String> names = teachers.names(rows.stream().map(Participant::teacherId).toList());
        return rows.stream().map(r -> new Participant(r.teacherId(), names.get(r.teacherId()), r.status(),
                r.attended())).toList();
    }

    // ---- attendance and completion ----------------------------------------------------------------------------

    /** A teacher signs in to a session going on now by its code; returns the certificate if that completed a course. */
    @Transactional
    public Optional<String> signIn(String code, long teacherId) {
        OffsetDateTime now = OffsetDateTime.now();
        List<Long> sessions = jdbc.sql("""
                        SELECT s.id FROM training_session s JOIN training_course c ON c.id = s.course_id
                        JOIN training_enrolment e ON e.program_id = c.program_id AND e.teacher_id = ?
                          AND e.status = 'ENROLLED'
                        WHERE s.sign_in_code = ? AND ? BETWEEN s.starts_at - make_interval(mins => ?)
                          AND s.ends_at + make_interval(mins => ?)""")
                .params(teacherId, code == null ? "" : code.strip(), now, (int) GRACE.toMinutes(),
                        (int) GRACE.toMinutes()).query(Long.class).list();
        if (sessions.isEmpty()) {
            throw new BadInputException("code", "training.error.signIn");
        }
        return attend(sessions.get(0), teacherId, "CODE");
    }

    /** The organiser records that enrolled teachers attended a session (e.g. from the paper sign-in sheet). */
    @Transactional
    public int record(long sessionId, List<Long> teacherIds, Scope scope) {
        long programId = jdbc.sql("SELECT c.program_id FROM training_session s JOIN training_course c ON c.id = "
                + "s.course_id WHERE s.id = ?").param(sessionId).query(Long.class).optional()
                .orElseThrow(NotFoundException::new);
        Programs.Program p = programs.get(programId, scope);
        long enrolled = jdbc.sql("SELECT count(DISTINCT teacher_id) FROM training_enrolment WHERE program_id = ? "
                + "AND teacher_id = ANY(?) AND status = 'ENROLLED'").params(programId, teacherIds.toArray(Long[]::new))
                .query(Long.class).single();
        if (enrolled != teacherIds.stream().distinct().count()) {
            throw new BadInputException("teacher", "training.error.notEnrolled");
        }
        int n = 0;
        for (long t : teacherIds) {
            attend(sessionId, t, "ORGANISER");
            n++;
        }
        audit.record("training.attendance", "training_session", sessionId, p.unitPath(), n + " teachers");
        return n;
    }

    /**
     * The organiser imports a session's sign-in sheet (.xlsx or .csv with an ID-card column): every row must be an
     * enrolled teacher, or nothing is recorded and each wrong row is named. Returns how many were recorded.
     */
    @Transactional
    public int importAttendance(long sessionId, InputStream sheet, Scope scope) throws IOException {
        Map<Integer, String> rows = new LinkedHashMap<>(); // row → ID-card number
        List<String> names = List.of("idcard", header(Locale.SIMPLIFIED_CHINESE),
                header(Locale.ENGLISH));
        boolean[] headed = {false};
        org.peiyu.platform.files.TableFile.read(sheet, org.peiyu.platform.files.TableFile.withHeader(cells -> {
            headed[0] = true;
            for (int i = 0; i < cells.size(); i++) {
                if (names.contains(norm(cells.get(i)))) {
                    return Map.of("idCard", i);
                }
            }
            throw new BadInputException("file", "training.error.sheetColumn");
        }, (row, values) -> rows.put(row, values.get("idCard") == null ? "" : values.get("idCard").strip())));
        if (!headed[0]) {
            throw new BadInputException("file", "training.error.sheetColumn");
        }
        Map<String, Long> found = teachers.idsByIdCards(rows.values().stream().filter(c -> !c.isEmpty()).toList());
        List<Long> ids = new ArrayList<>();
        BadInputException.Collector errors = new BadInputException.Collector();
        rows.forEach((row, idCard) -> {
            Long t = found.get(idCard);
            if (t == null) {
                errors.add("row " + row, "training.error.sheetRow", row);
            } else {
                ids.add(t);
            }
        });
        errors.throwIfAny();
        return record(sessionId, ids, scope);
    }

    /** The ID-card column's header as the import template names it, in a language. */
    private String header(Locale locale) {
        return norm(messages.getMessage("credit.import.column.idCard", null, "idCard", locale));
    }

    private static String norm(String header) {
        return header == null ? "" : header.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    /**
     * The organiser records a teacher's assignment and test score in a course (either may be left as it was);
     * returns the certificate if that completed the course.
     */
    @Transactional
    public Optional<String> recordResult(long courseId, long teacherId, boolean assignmentDone, BigDecimal score,
                                         Scope scope, String by) {
        Programs.Course c = programs.course(courseId).orElseThrow(NotFoundException::new);
        Programs.Program p = programs.get(c.programId(), scope);
        if (status(p.id(), teacherId).orElse(null) != Status.ENROLLED) {
            throw new BadInputException("teacher", "training.error.notEnrolled");
        }
        if (score != null && (score.signum() < 0 || score.compareTo(BigDecimal.valueOf(100)) > 0
                || score.stripTrailingZeros().scale() > 2)) {
            throw new BadInputException("score", "training.error.score");
        }
        jdbc.sql("""
                        INSERT INTO training_result (course_id, teacher_id, assignment_done, score, recorded_by)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT (course_id, teacher_id) DO UPDATE SET
                          assignment_done = excluded.assignment_done,
                          score = coalesce(excluded.score, training_result.score),
                          recorded_by = excluded.recorded_by, recorded_at = now()""")
                .params(courseId, teacherId, assignmentDone, score, by).update();
        audit.record("training.result", "training_course", courseId, p.unitPath(), teacherId + ": "
                + assignmentDone + " / " + score);
        return completeIfDone(courseId, teacherId);
    }

    private Optional<String> attend(long sessionId, long teacherId, String source) {
        jdbc.sql("INSERT INTO training_attendance (session_id, teacher_id, source) VALUES (?, ?, ?) "
                + "ON CONFLICT DO NOTHING").params(sessionId, teacherId, source).update();
        long courseId = jdbc.sql("SELECT course_id FROM training_session WHERE id = ?").param(sessionId)
                .query(Long.class).single();
        return completeIfDone(courseId, teacherId);
    }

    /**
     * Completes a course once enough of its sessions are attended: its hours (theory, practice, online) posted to the
     * ledger as the programme's level and the course's category, on the day of the last session attended, and a
     * certificate issued. A course is completed once.
     */
    Optional<String> completeIfDone(long courseId, long teacherId) {
        if (jdbc.sql("SELECT count(*) FROM training_completion WHERE course_id = ? AND teacher_id = ?")
                .params(courseId, teacherId).query(Long.class).single() > 0) {
            return Optional.empty();
        }
        Programs.Course c = programs.course(courseId).orElseThrow();
        Programs.Program p = programs.find(c.programId()).orElseThrow();
        Object[] counts = jdbc.sql("""
                        SELECT count(s.*), count(a.*), max(s.starts_at) FILTER (WHERE a.teacher_id IS NOT NULL)
                        FROM training_session s LEFT JOIN training_attendance a ON a.session_id = s.id
                          AND a.teacher_id = ? WHERE s.course_id = ?""")
                .params(teacherId, courseId).query((rs, n) -> new Object[] {rs.getLong(1), rs.getLong(2),
                        rs.getObject(3, OffsetDateTime.class)}).single();
        long sessions = (Long) counts[0];
        long attended = (Long) counts[1];
        if (sessions == 0 || attended * 100 < sessions * c.minAttendance()) {
            return Optional.empty();
        }
        Object[] result = jdbc.sql("SELECT assignment_done, score FROM training_result WHERE course_id = ? "
                        + "AND teacher_id = ?").params(courseId, teacherId)
                .query((rs, n) -> new Object[] {rs.getBoolean(1), rs.getBigDecimal(2)}).optional()
                .orElse(new Object[] {false, null});
        if (c.needsAssignment() && !(Boolean) result[0] || c.minScore() != null && (result[1] == null
                || ((BigDecimal) result[1]).compareTo(BigDecimal.valueOf(c.minScore())) < 0)) {
            return Optional.empty();
        }
        LocalDate day = ((OffsetDateTime) counts[2]).atZoneSameInstant(CreditLedger.ZONE).toLocalDate();
        LocalDate today = LocalDate.now(CreditLedger.ZONE);
        if (day.isAfter(today)) {
            day = today; // signed in during the grace before a session that starts tomorrow (Beijing time)
        }
        List<Posting> postings = new ArrayList<>();
        String title = p.title() + " · " + c.title();
        for (var part : List.of(Map.entry(Mode.THEORY, c.theoryHours()), Map.entry(Mode.PRACTICE, c.practiceHours()),
                Map.entry(Mode.ONLINE, c.onlineHours()))) {
            if (part.getValue().signum() > 0) {
                // the first entry holds the course's key ("<programme>-<course>" on the day), which other sources'
                // records of the same course (an import with that course code) match
                postings.add(new Posting(teacherId, day, part.getValue(), c.category(), p.level(), part.getKey(),
                        c.topic(), Source.COURSE, courseId + "-" + part.getKey(), title.length() > 200 ? title.substring(0, 200)
                        : title, null, postings.isEmpty() ? List.of(CreditImports.courseKey(p.code() + "-" + c.code(),
                        day)) : List.of()));
            }
        }
        String code = certificateCode();
        jdbc.sql("INSERT INTO training_completion (course_id, teacher_id, completed_on, certificate_code) "
                + "VALUES (?, ?, ?, ?)").params(courseId, teacherId, day, code).update();
        ledger.post(postings, "training"); // after the completion, so the forecast no longer counts it as planned
        audit.record("training.complete", "training_course", courseId, p.unitPath(), code);
        return Optional.of(code);
    }

    private static String certificateCode() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            sb.append(CODE_ALPHABET.charAt(Programs.RANDOM.nextInt(CODE_ALPHABET.length())));
        }
        return sb.toString();
    }

    // ---- certificates -------------------------------------------------------------------------------------------

    private static final String CERTIFICATE = """
            SELECT x.certificate_code, x.teacher_id, p.title, c.title, p.organiser,
              c.theory_hours + c.practice_hours + c.online_hours, x.completed_on
            FROM training_completion x JOIN training_course c ON c.id = x.course_id
            JOIN training_program p ON p.id = c.program_id""";

    /** A teacher's certificates, newest first. */
    public List<Certificate> certificates(long teacherId) {
        return named(jdbc.sql(CERTIFICATE + " WHERE x.teacher_id = ? ORDER BY x.completed_on DESC, x.created_at DESC")
                .param(teacherId).query(Enrolments::certificate).list());
    }

    /** A certificate by its code, for anyone who holds it (the public check). */
    public Optional<Certificate> certificate(String code) {
        if (code == null || !code.matches("[A-Z0-9]{12}")) {
            return Optional.empty();
        }
        return named(jdbc.sql(CERTIFICATE + " WHERE x.certificate_code = ?").param(code)
                .query(Enrolments::certificate).list()).stream().findFirst();
    }

    private List<Certificate> named(List<Certificate> list) {
        Map<Long, String> names = teachers.names(list.stream().map(Certificate::teacherId).toList());
        return list.stream().map(c -> new Certificate(c.code(), c.teacherId(), names.get(c.teacherId()),
                c.programTitle(), c.courseTitle(), c.organiser(), c.hours(), c.completedOn())).toList();
    }

    private static Certificate certificate(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Certificate(rs.getString(1), rs.getLong(2), null, rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getBigDecimal(6), rs.getObject(7, LocalDate.class));
    }
}
