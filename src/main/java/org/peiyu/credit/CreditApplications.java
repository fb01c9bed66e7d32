package org.peiyu.credit;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.peiyu.credit.CreditLedger.Posting;
import org.peiyu.credit.CreditLedger.Source;
import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.directory.Teachers;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.files.FileKinds;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Credit applications (学分申报): a teacher claims training taken elsewhere in the current cycle, with proof; an admin
 * over the school reviews it, then (where the teacher's rule set asks) an admin over the district approves it; the
 * approved claim is posted to the ledger, a rejection carries its reason.
 */
@Component
public class CreditApplications {

    static final long MAX_PROOF = 20L * 1024 * 1024;

    public enum Status { SUBMITTED, SCHOOL_APPROVED, APPROVED, REJECTED }

    /** What the teacher claims. */
    public record Claim(String title, String organiser, LocalDate occurred, BigDecimal hours, Category category,
                        Level level, Mode mode, String topic) {
    }

    public record Application(long id, long teacherId, String teacherName, String unitPath, String title,
                              String organiser, LocalDate occurred, BigDecimal hours, Category category, Level level,
                              Mode mode, String topic, Status status, String schoolReviewer, String districtReviewer,
                              String rejectionReason, Long entryId, OffsetDateTime createdAt, String fileName) {
    }

    public record Proof(String fileName, String contentType, byte[] content) {
    }

    private final JdbcClient jdbc;
    private final CreditLedger ledger;
    private final RuleSets ruleSets;
    private final Teachers teachers;
    private final AuditLog audit;

    CreditApplications(JdbcClient jdbc, CreditLedger ledger, RuleSets ruleSets, Teachers teachers, AuditLog audit) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.ruleSets = ruleSets;
        this.teachers = teachers;
        this.audit = audit;
    }

    /** A teacher's claim with its proof; every field checked first, nothing kept if any is wrong. */
    @Transactional
    public long submit(long teacherId, Claim c, String fileName, byte[] proof) {
        String path = teachers.paths(List.of(teacherId)).get(teacherId);
        if (path == null) {
            throw new NotFoundException();
        }
        BadInputException.Collector errors = new BadInputException.Collector();
        String topic = ruleSets.topicKey(path, c.topic(), "topic", errors);
        c = new Claim(c.title(), c.organiser(), c.occurred(), c.hours(), c.category(), c.level(), c.mode(), topic);
        CreditLedger.check(posting(teacherId, c, 0), "", true, errors);
        LocalDate today = LocalDate.now(CreditLedger.ZONE);
        LocalDate[] cycle = ruleSets.applicable(path, today).cycle(today);
        if (c.occurred() != null && c.occurred().isBefore(cycle[0]) && errors.problems().stream()
                .noneMatch(p -> p.field().equals("occurred"))) {
            errors.add("occurred", "credit.application.error.cycle", cycle[0].toString(), cycle[1].toString());
        }
        if (c.organiser() != null && c.organiser().strip().length() > 100) {
            errors.add("organiser", "credit.application.error.organiser");
        }
        String type = proof == null || proof.length == 0 ? null : FileKinds.of(proof);
        if (proof == null || proof.length == 0) {
            errors.add("proof", "credit.application.error.proof");
        } else if (type == null || type.startsWith("video/")) {
            errors.add("proof", "credit.application.error.proofType");
        } else if (proof.length > MAX_PROOF) {
            errors.add("proof", "credit.application.error.proofSize", MAX_PROOF >> 20);
        }
        errors.throwIfAny();
        long id = jdbc.sql("""
                        INSERT INTO credit_application (teacher_id, unit_path, title, organiser, occurred, hours, category,
                          level, mode, topic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(teacherId, path, c.title().strip(), c.organiser() == null || c.organiser().isBlank() ? null
                                : c.organiser().strip(), c.occurred(), c.hours(), CreditLedger.name(c.category()),
                        CreditLedger.name(c.level()), c.mode().name(), topic)
                .query(Long.class).single();
        String name = fileName == null || fileName.isBlank() ? "proof"
                : java.nio.file.Path.of(fileName).getFileName().toString();
        jdbc.sql("INSERT INTO credit_application_file (application_id, file_name, content_type, size_bytes, content) "
                        + "VALUES (?, ?, ?, ?, ?)")
                .params(id, name.length() > 200 ? name.substring(0, 200) : name, type, proof.length, proof).update();
        audit.record("credit.application.submit", "credit_application", id, path, c.title().strip());
        return id;
    }

    private static Posting posting(long teacherId, Claim c, long id) {
        return new Posting(teacherId, c.occurred(), c.hours(), c.category(), c.level(),
                c.mode() == null ? Mode.THEORY : c.mode(), c.topic(), Source.APPLICATION, String.valueOf(id), c.title(), null,
                List.of("training:" + (c.title() == null ? "" : c.title().strip()) + "@" + c.occurred()));
    }

    private static final String SELECT = """
            SELECT a.id, a.teacher_id, NULL, a.unit_path, a.title, a.organiser, a.occurred, a.hours, a.category,
              a.level, a.mode, a.status, a.school_reviewer, a.district_reviewer, a.rejection_reason, a.entry_id,
              a.created_at, f.file_name, a.topic
            FROM credit_application a LEFT JOIN credit_application_file f ON f.application_id = a.id""";

    /** A teacher's own applications, newest first. */
    public List<Application> mine(long teacherId) {
        return list("a.teacher_id = ?", List.of(teacherId));
    }

    /**
     * The applications an admin may act on, oldest first: those submitted under their units, and (for admins above a
     * school) those the school approved that wait for the district.
     */
    public List<Application> pending(PeiyuUser admin, Scope scope) {
        Scope.Sql s = scope.sql("a.unit_path", null);
        List<Object> params = new ArrayList<>(s.params());
        String stages = districtLevel(admin) ? "('SUBMITTED', 'SCHOOL_APPROVED')" : "('SUBMITTED')";
        return list(s.clause() + " AND a.status IN " + stages, params);
    }

    /** Every application under the admin's units, newest first (decided ones included). */
    public List<Application> all(Scope scope) {
        Scope.Sql s = scope.sql("a.unit_path", null);
        return list(s.clause(), s.params());
    }

    private List<Application> list(String where, List<?> params) {
        List<Application> out = new ArrayList<>();
        List<Application> rows = jdbc.sql(SELECT + " WHERE " + where + " ORDER BY a.created_at DESC, a.id DESC LIMIT 500")
                .params(params).query(CreditApplications::row).list();
        var names = teachers.names(rows.stream().map(Application::teacherId).toList()); // the directory's, by id
        for (Application a : rows) {
            out.add(new Application(a.id(), a.teacherId(), names.get(a.teacherId()), a.unitPath(), a.title(),
                    a.organiser(), a.occurred(), a.hours(), a.category(), a.level(), a.mode(), a.topic(), a.status(),
                    a.schoolReviewer(), a.districtReviewer(), a.rejectionReason(), a.entryId(), a.createdAt(),
                    a.fileName()));
        }
        return out;
    }

    private static Application row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Application(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getObject(7, LocalDate.class), rs.getBigDecimal(8),
                CreditLedger.enumOf(Category.class, rs.getString(9)), CreditLedger.enumOf(Level.class, rs.getString(10)),
                Mode.valueOf(rs.getString(11)), rs.getString(19), Status.valueOf(rs.getString(12)), rs.getString(13), rs.getString(14),
                rs.getString(15), (Long) rs.getObject(16), rs.getObject(17, OffsetDateTime.class), rs.getString(18));
    }

    private static boolean districtLevel(PeiyuUser admin) {
        return admin.has(Role.DISTRICT_ADMIN) || admin.has(Role.CITY_ADMIN) || admin.has(Role.PROVINCE_ADMIN)
                || admin.has(Role.SYSTEM_ADMIN);
    }

    /**
     * An admin's decision. The school stage is any admin over the teacher's unit; the district stage an admin above
     * the school. Approval at the last stage posts the claim to the ledger; a rejection needs its reason.
     */
    @Transactional
    public Status decide(long id, boolean approve, String reason, PeiyuUser admin, Scope scope) {
        Application a = list("a.id = ?", List.of(id)).stream().findFirst()
                .filter(x -> scope.covers(x.unitPath())).orElseThrow(NotFoundException::new);
        boolean districtStage = a.status() == Status.SCHOOL_APPROVED;
        if (a.status() == Status.APPROVED || a.status() == Status.REJECTED || districtStage && !districtLevel(admin)) {
            throw new BadInputException("status", "credit.application.error.stage");
        }
        String who = admin.displayName();
        if (!approve) {
            if (reason == null || reason.isBlank() || reason.strip().length() > 500) {
                throw new BadInputException("reason", "credit.error.reason");
            }
            jdbc.sql("UPDATE credit_application SET status = 'REJECTED', rejection_reason = ?, decided_at = now(), "
                            + (districtStage ? "district_reviewer" : "school_reviewer") + " = ? WHERE id = ?")
                    .params(reason.strip(), who, id).update();
            audit.record("credit.application.reject", "credit_application", id, a.unitPath(), reason.strip());
            return Status.REJECTED;
        }
        RuleSet.Approval approval = ruleSets.applicable(a.unitPath(), LocalDate.now(CreditLedger.ZONE)).rules()
                .applicationApproval();
        if (!districtStage && approval == RuleSet.Approval.DISTRICT) {
            jdbc.sql("UPDATE credit_application SET status = 'SCHOOL_APPROVED', school_reviewer = ? WHERE id = ?")
                    .params(who, id).update();
            audit.record("credit.application.schoolApprove", "credit_application", id, a.unitPath(), null);
            return Status.SCHOOL_APPROVED;
        }
        Long entry = ledger.post(List.of(posting(a.teacherId(), new Claim(a.title(), a.organiser(), a.occurred(),
                a.hours(), a.category(), a.level(), a.mode(), a.topic()), id)), who).get(0);
        if (entry == null) {
            throw new BadInputException("status", "credit.application.error.duplicate");
        }
        jdbc.sql("UPDATE credit_application SET status = 'APPROVED', entry_id = ?, decided_at = now(), "
                        + (districtStage ? "district_reviewer" : "school_reviewer") + " = ? WHERE id = ?")
                .params(entry, who, id).update();
        audit.record("credit.application.approve", "credit_application", id, a.unitPath(), null);
        return Status.APPROVED;
    }

    /** The proof, for its teacher and the admins over the teacher's unit; 404 for anyone else. */
    public Proof proof(long id, Long teacherId, Scope scope) {
        record Row(Proof proof, long teacherId, String unitPath) {
        }
        return jdbc.sql("""
                        SELECT f.file_name, f.content_type, f.content, a.teacher_id, a.unit_path
                        FROM credit_application_file f JOIN credit_application a ON a.id = f.application_id
                        WHERE a.id = ?""").param(id)
                .query((rs, n) -> new Row(new Proof(rs.getString(1), rs.getString(2), rs.getBytes(3)), rs.getLong(4),
                        rs.getString(5))).optional()
                .filter(r -> teacherId != null && teacherId == r.teacherId() || scope.covers(r.unitPath()))
                .map(Row::proof).orElseThrow(NotFoundException::new);
    }
}
