package org.peiyu.assessment;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.peiyu.account.Accounts;
import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.TeacherDetail;
import org.peiyu.directory.Teachers;
import org.peiyu.directory.Unit;
import org.peiyu.framework.FrameworkItem;
import org.peiyu.framework.Frameworks;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.files.FileKinds;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * School-based evidence review (校本应用考核): a teacher chooses micro-capability points, uploads the evidence each
 * asks for and submits; reviewers assigned by the school grade every file; a point is 优秀 only if every file is,
 * 不合格 if any is; the teacher may revise and resubmit once; the school recommends excellent cases upwards.
 */
@Service
public class EvidenceReview {

    public enum Grade { EXCELLENT, PASS, FAIL }

    /** The evidence forms of 能力提升工程2.0; a classroom recording is a video, the rest documents or pictures. */
    public enum Form {
        LESSON_DESIGN, IMPLEMENTATION_PLAN, CLASS_RECORDING, TEACHING_RESOURCE, CASE_DESCRIPTION, REFLECTION,
        STUDENT_FEEDBACK
    }

    static final long MAX_DOCUMENT = 20L * 1024 * 1024;
    static final long MAX_VIDEO = 100L * 1024 * 1024;

    private final JdbcClient jdbc;
    private final Frameworks frameworks;
    private final DirectoryTree tree;
    private final Accounts accounts;
    private final Teachers teachers;
    private final AuditLog audit;
    private final Rubrics rubrics;

    EvidenceReview(JdbcClient jdbc, Frameworks frameworks, DirectoryTree tree, Accounts accounts, Teachers teachers,
                   AuditLog audit, Rubrics rubrics) {
        this.jdbc = jdbc;
        this.frameworks = frameworks;
        this.tree = tree;
        this.accounts = accounts;
        this.teachers = teachers;
        this.audit = audit;
        this.rubrics = rubrics;
    }

    public record Round(long id, String title, String unitPath, long frameworkId, OffsetDateTime opensAt,
                        OffsetDateTime closesAt, int minPoints, int minDimensions, boolean blind,
                        double recommendShare, boolean excludeSameGroup) {
        public boolean open() {
            OffsetDateTime now = OffsetDateTime.now();
            return !now.isBefore(opensAt) && now.isBefore(closesAt);
        }
    }

    private static final String ROUND_COLUMNS = """
            id, title, unit_path, framework_id, opens_at, closes_at, min_points, min_dimensions, blind,
            recommend_share, exclude_same_group""";

    // ---- rounds ----------------------------------------------------------------------------------------------

    @Transactional
    public long createRound(String title, String unitCode, LocalDateTime opensAt, LocalDateTime closesAt,
                            Integer minPoints, Integer minDimensions, boolean blind, Scope scope, String actor) {
        return createRound(title, unitCode, opensAt, closesAt, minPoints, minDimensions, blind, null, false, scope,
                actor);
    }

    /** A round in which the school may recommend at most {@code recommendShare} % of submissions (default 5). */
    @Transactional
    public long createRound(String title, String unitCode, LocalDateTime opensAt, LocalDateTime closesAt,
                            Integer minPoints, Integer minDimensions, boolean blind, Double recommendShare,
                            boolean excludeSameGroup, Scope scope, String actor) {
        BadInputException.Collector problems = new BadInputException.Collector();
        if (title == null || title.isBlank() || title.length() > 200) {
            problems.add("title", "error.required");
        }
        Unit unit = unitCode == null ? null : tree.unit(unitCode.strip()).filter(u -> scope.covers(u.path()))
                .orElse(null);
        if (unit == null) {
            problems.add("unitCode", "account.error.unit");
        }
        if (opensAt == null || closesAt == null || !closesAt.isAfter(opensAt)) {
            problems.add("closesAt", "assessment.error.window");
        }
        int points = minPoints == null ? 3 : minPoints;
        int dims = minDimensions == null ? 2 : minDimensions;
        if (points < 1 || points > 30 || dims < 1 || dims > 4 || dims > points) {
            problems.add("minPoints", "review.error.minimums");
        }
        double share = recommendShare == null ? 5 : recommendShare;
        if (share < 0 || share > 100) {
            problems.add("recommendShare", "review.error.share");
        }
        problems.throwIfAny();
        long framework = frameworks.published(Frameworks.MICRO_CAPABILITIES).orElseThrow().id();
        ZoneId zone = ZoneId.systemDefault();
        long id = jdbc.sql("""
                        INSERT INTO review_round (title, unit_path, framework_id, opens_at, closes_at, min_points,
                          min_dimensions, blind, recommend_share, exclude_same_group, created_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(title.strip(), unit.path(), framework, opensAt.atZone(zone).toOffsetDateTime(),
                        closesAt.atZone(zone).toOffsetDateTime(), points, dims, blind, share, excludeSameGroup, actor)
                .query(Long.class).single();
        audit.record(null, actor, "review.round.create", "review_round", id, unit.path(), title);
        return id;
    }

    /** Rounds an admin may see: inside their scope, or covering it. */
    public List<Round> rounds(Scope scope) {
        return jdbc.sql("SELECT " + ROUND_COLUMNS + " FROM review_round ORDER BY created_at DESC").query(Round.class)
                .list().stream().filter(r -> visible(r, scope)).toList();
    }

    private static boolean visible(Round r, Scope scope) {
        return scope.all() || scope.unitPaths().stream().anyMatch(p -> p.startsWith(r.unitPath())
                || r.unitPath().startsWith(p));
    }

    public Round round(long id) {
        return jdbc.sql("SELECT " + ROUND_COLUMNS + " FROM review_round WHERE id = ?").param(id).query(Round.class)
                .optional().orElseThrow(NotFoundException::new);
    }

    public Round round(long id, Scope scope) {
        Round r = round(id);
        if (!visible(r, scope)) {
            throw new NotFoundException();
        }
        return r;
    }

    /** The micro-capabilities a round offers, in framework order. */
    public List<FrameworkItem> points(Round r) {
        return frameworks.items(r.frameworkId()).stream().filter(i -> i.parentId() != null).toList();
    }

    /** The dimension of a shipped micro-capability (学情分析, 教学设计, 学法指导, 学业评价), kept with its description. */
    static String dimensionOf(FrameworkItem point) {
        String d = point.description();
        return d == null ? point.code() : d.split(" / ")[0];
    }

    // ---- the teacher -----------------------------------------------------------------------------------------

    /** The rounds open to a teacher filed under {@code path}. */
    public List<Round> roundsFor(String path) {
        return jdbc.sql("SELECT " + ROUND_COLUMNS + " FROM review_round WHERE ? LIKE unit_path || '%' "
                + "ORDER BY closes_at DESC").param(path).query(Round.class).list();
    }

    public record Submission(long id, long roundId, long teacherId, String teacherName, String path, String status,
                             OffsetDateTime submittedAt) {
        public boolean editable() {
            return status.equals("DRAFT") || status.equals("GRADED");
        }
    }

    public record EvidenceFile(long id, UUID point, Form form, String fileName, String contentType, long size,
                               int revision, OffsetDateTime uploadedAt) {
    }

    public record PointView(FrameworkItem point, String result, boolean recommended, List<EvidenceFile> files,
                            Map<Long, List<GradeView>> grades) {
    }

    public record GradeView(String reviewer, Grade grade, String comment) {
    }

    /** The teacher's submission in a round, created empty on first visit. */
    @Transactional
    public Submission mine(long roundId, long teacherId, String name, String path) {
        Round r = round(roundId);
        if (!path.startsWith(r.unitPath())) {
            throw new NotFoundException();
        }
        jdbc.sql("INSERT INTO review_submission (round_id, teacher_id, teacher_name, path) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (round_id, teacher_id) DO NOTHING").params(roundId, teacherId, name, path).update();
        return jdbc.sql("SELECT id, round_id, teacher_id, teacher_name, path, status, submitted_at FROM review_submission "
                + "WHERE round_id = ? AND teacher_id = ?").params(roundId, teacherId).query(Submission.class).single();
    }

    private Submission submission(long id) {
        return jdbc.sql("SELECT id, round_id, teacher_id, teacher_name, path, status, submitted_at FROM review_submission "
                + "WHERE id = ?").param(id).query(Submission.class).optional().orElseThrow(NotFoundException::new);
    }

    /** The chosen points with their files, results and (for the teacher and admins) the reviewers' grades. */
    public List<PointView> points(Submission s, boolean withReviewerNames) {
        Round r = round(s.roundId());
        Map<UUID, FrameworkItem> byId = new HashMap<>();
        points(r).forEach(p -> byId.put(p.identifier(), p));
        List<EvidenceFile> files = jdbc.sql("""
                        SELECT id, point, form, file_name, content_type, size_bytes AS size, revision, uploaded_at FROM review_file
                        WHERE submission_id = ? ORDER BY revision, id""")
                .param(s.id()).query(EvidenceFile.class).list();
        Map<Long, List<GradeView>> grades = new HashMap<>();
        jdbc.sql("""
                        SELECT g.file_id, a.reviewer_name, g.grade, g.comment FROM review_grade g
                        JOIN review_file f ON f.id = g.file_id
                        JOIN review_assignment a ON a.submission_id = f.submission_id AND a.reviewer_id = g.reviewer_id
                        WHERE f.submission_id = ?""")
                .param(s.id())
                .query((org.springframework.jdbc.core.RowCallbackHandler) rs -> grades.computeIfAbsent(rs.getLong(1),
                        k -> new ArrayList<>()).add(new GradeView(withReviewerNames ? rs.getString(2) : null,
                        Grade.valueOf(rs.getString(3)), rs.getString(4))));
        return jdbc.sql("SELECT point, result, recommended FROM review_point WHERE submission_id = ?").param(s.id())
                .query((rs, n) -> {
                    UUID point = rs.getObject(1, UUID.class);
                    return new PointView(byId.get(point), rs.getString(2), rs.getBoolean(3),
                            files.stream().filter(f -> f.point().equals(point)).toList(), grades);
                })
                .list().stream().sorted(java.util.Comparator.comparing(p -> p.point().code())).toList();
    }

    /** Chooses the points to be assessed on, while the submission is a draft. */
    @Transactional
    public void choose(long submissionId, long teacherId, List<UUID> points) {
        Submission s = own(submissionId, teacherId);
        Round r = round(s.roundId());
        requireOpen(r);
        if (!s.status().equals("DRAFT")) {
            throw new BadInputException("points", "review.error.notDraft");
        }
        Set<UUID> offered = new HashSet<>();
        points(r).forEach(p -> offered.add(p.identifier()));
        if (points == null || !offered.containsAll(points)) {
            throw new BadInputException("points", "review.error.unknownPoint");
        }
        jdbc.sql("DELETE FROM review_point WHERE submission_id = ? AND point <> ALL(?)")
                .params(submissionId, points.toArray(UUID[]::new)).update();
        for (UUID p : points) {
            jdbc.sql("INSERT INTO review_point (submission_id, point) VALUES (?, ?) ON CONFLICT DO NOTHING")
                    .params(submissionId, p).update();
        }
    }

    /**
     * Uploads one piece of evidence for a chosen point. The kind of file is decided by its content; a file already
     * uploaded in this round (by anyone) is refused as a duplicate.
     */
    @Transactional
    public long upload(long submissionId, long teacherId, UUID point, Form form, String fileName, byte[] content) {
        Submission s = own(submissionId, teacherId);
        requireOpen(round(s.roundId()));
        if (!s.editable()) {
            throw new BadInputException("file", "review.error.notEditable");
        }
        if (form == null) {
            throw new BadInputException("form", "error.required");
        }
        if (point == null || jdbc.sql("SELECT count(*) FROM review_point WHERE submission_id = ? AND point = ?")
                .params(submissionId, point).query(Long.class).single() == 0) {
            throw new BadInputException("point", "review.error.unknownPoint");
        }
        Rubrics.Rubric rubric = rubrics.inForce(s.path()).get(point);
        if (rubric != null && !rubric.forms().contains(form)) {
            throw new BadInputException("form", "review.error.formNotAsked");
        }
        if (content == null || content.length == 0) {
            throw new BadInputException("file", "file.error.empty");
        }
        String type = FileKinds.of(content);
        boolean video = form == Form.CLASS_RECORDING;
        if (type == null || video != type.startsWith("video/")) {
            throw new BadInputException("file", video ? "review.error.needVideo" : "review.error.needDocument");
        }
        if (content.length > (video ? MAX_VIDEO : MAX_DOCUMENT)) {
            throw new BadInputException("file", "review.error.tooLarge", (video ? MAX_VIDEO : MAX_DOCUMENT) >> 20);
        }
        byte[] hash = sha256(content);
        if (jdbc.sql("""
                SELECT count(*) FROM review_file f JOIN review_submission x ON x.id = f.submission_id
                WHERE f.sha256 = ? AND x.round_id = ?""").params(hash, s.roundId()).query(Long.class).single() > 0) {
            throw new BadInputException("file", "review.error.duplicate");
        }
        String name = fileName == null || fileName.isBlank() ? "evidence"
                : java.nio.file.Path.of(fileName).getFileName().toString();
        int revision = s.status().equals("GRADED") ? 1 : 0;
        long id = jdbc.sql("""
                        INSERT INTO review_file (submission_id, point, form, file_name, content_type, size_bytes, sha256,
                          content, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(submissionId, point, form.name(), name.length() > 200 ? name.substring(0, 200) : name, type,
                        content.length, hash, content, revision)
                .query(Long.class).single();
        audit.record("review.upload", "review_file", id, s.path(), name);
        return id;
    }

    /** Submits the evidence (or, once, the revised evidence) for review. */
    @Transactional
    public void submit(long submissionId, long teacherId) {
        Submission s = own(submissionId, teacherId);
        Round r = round(s.roundId());
        requireOpen(r);
        if (!s.editable()) {
            throw new BadInputException("submission", "review.error.notEditable");
        }
        List<PointView> points = points(s, false);
        BadInputException.Collector problems = new BadInputException.Collector();
        Set<String> dimensions = new HashSet<>();
        points.forEach(p -> dimensions.add(dimensionOf(p.point())));
        if (points.size() < r.minPoints() || dimensions.size() < r.minDimensions()) {
            problems.add("points", "review.error.tooFew", r.minPoints(), r.minDimensions());
        }
        Map<UUID, Rubrics.Rubric> asked = rubrics.inForce(s.path());
        for (PointView p : points) {
            if (p.files().isEmpty()) {
                problems.add("points", "review.error.noEvidence", p.point().code());
                continue;
            }
            Rubrics.Rubric rubric = asked.get(p.point().identifier());
            for (Form form : rubric == null ? List.<Form>of() : rubric.forms()) {
                if (p.files().stream().noneMatch(f -> f.form() == form)) {
                    problems.add("points", "review.error.missingForm", p.point().code(),
                            new DefaultMessageSourceResolvable("review.form." + form));
                }
            }
        }
        if (s.status().equals("GRADED") && points.stream().noneMatch(p -> p.files().stream()
                .anyMatch(f -> f.revision() == 1))) {
            problems.add("file", "review.error.nothingRevised");
        }
        problems.throwIfAny();
        String next = s.status().equals("DRAFT") ? "SUBMITTED" : "RESUBMITTED";
        jdbc.sql("UPDATE review_submission SET status = ?, submitted_at = now() WHERE id = ?").params(next, s.id())
                .update();
        audit.record("review.submit", "review_submission", s.id(), s.path(), next);
    }

    private Submission own(long submissionId, long teacherId) {
        Submission s = submission(submissionId);
        if (s.teacherId() != teacherId) {
            throw new NotFoundException();
        }
        return s;
    }

    private static void requireOpen(Round r) {
        if (!r.open()) {
            throw new BadInputException("round", "review.error.closed");
        }
    }

    // ---- the school ------------------------------------------------------------------------------------------

    public record SubmissionRow(long id, String teacherName, String path, String status, String reviewers,
                                long points, long excellent, long recommended) {
    }

    public List<SubmissionRow> submissions(long roundId, Scope scope) {
        round(roundId, scope);
        Scope.Sql s = scope.sql("x.path", null);
        List<Object> params = new ArrayList<>();
        params.add(roundId);
        params.addAll(s.params());
        return jdbc.sql("""
                        SELECT x.id, x.teacher_name, x.path, x.status,
                          (SELECT string_agg(a.reviewer_name, ', ') FROM review_assignment a WHERE a.submission_id = x.id)
                            AS reviewers,
                          (SELECT count(*) FROM review_point p WHERE p.submission_id = x.id) AS points,
                          (SELECT count(*) FROM review_point p WHERE p.submission_id = x.id AND p.result = 'EXCELLENT')
                            AS excellent,
                          (SELECT count(*) FROM review_point p WHERE p.submission_id = x.id AND p.recommended)
                            AS recommended
                        FROM review_submission x WHERE x.round_id = ? AND """ + s.clause() + " ORDER BY x.path, x.teacher_name")
                .params(params).query(SubmissionRow.class).list();
    }

    /** A recommended excellent case, as the units above see them. */
    public record Recommendation(long submissionId, String teacherName, String path, UUID point) {
    }

    /** The recommended cases of a round within the scope: what a district or city gathers from its schools. */
    public List<Recommendation> recommendations(long roundId, Scope scope) {
        round(roundId, scope);
        Scope.Sql s = scope.sql("x.path", null);
        List<Object> params = new ArrayList<>();
        params.add(roundId);
        params.addAll(s.params());
        return jdbc.sql("""
                        SELECT x.id, x.teacher_name, x.path, p.point FROM review_point p
                        JOIN review_submission x ON x.id = p.submission_id
                        WHERE x.round_id = ? AND p.recommended AND """ + s.clause() + " ORDER BY x.path, x.teacher_name")
                .params(params)
                .query((rs, n) -> new Recommendation(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, UUID.class)))
                .list();
    }

    /**
     * The reviewers who may be assigned to a submission: reviewer accounts over its unit, never the teacher, and,
     * where the round says so, nobody from the teacher's own teaching group in the same school.
     */
    public List<Accounts.Reviewer> candidates(long submissionId, Scope scope) {
        Submission s = inScope(submissionId, scope);
        boolean excludeGroup = round(s.roundId()).excludeSameGroup();
        TeacherDetail teacher = excludeGroup ? teachers.get(s.teacherId(), Scope.ALL) : null;
        return accounts.reviewersOver(s.path()).stream()
                .filter(r -> r.teacherId() == null || r.teacherId() != s.teacherId())
                .filter(r -> !excludeGroup || r.teacherId() == null || !sameGroup(teacher,
                        teachers.get(r.teacherId(), Scope.ALL)))
                .toList();
    }

    private static boolean sameGroup(TeacherDetail a, TeacherDetail b) {
        return a.schoolId() == b.schoolId() && a.teachingGroup() != null && a.teachingGroup().equals(b.teachingGroup());
    }

    @Transactional
    public void assign(long submissionId, long reviewerId, Scope scope, String actor) {
        Submission s = inScope(submissionId, scope);
        Accounts.Reviewer reviewer = candidates(submissionId, scope).stream().filter(r -> r.accountId() == reviewerId)
                .findFirst().orElseThrow(() -> new BadInputException("reviewer", "review.error.reviewer"));
        jdbc.sql("INSERT INTO review_assignment (submission_id, reviewer_id, reviewer_name, assigned_by) "
                        + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(submissionId, reviewerId, reviewer.displayName(), actor).update();
        audit.record(null, actor, "review.assign", "review_submission", submissionId, s.path(), reviewer.displayName());
    }

    /** Recommends an excellent point to the level above, within the round's share of submissions. */
    @Transactional
    public void recommend(long submissionId, UUID point, Scope scope, String actor) {
        Submission s = inScope(submissionId, scope);
        Round r = round(s.roundId());
        String result = jdbc.sql("SELECT result FROM review_point WHERE submission_id = ? AND point = ?")
                .params(submissionId, point).query(String.class).optional().orElse(null);
        if (!"EXCELLENT".equals(result)) {
            throw new BadInputException("point", "review.error.notExcellent");
        }
        long submitted = jdbc.sql("SELECT count(*) FROM review_submission WHERE round_id = ? AND status <> 'DRAFT'")
                .param(r.id()).query(Long.class).single();
        long recommended = jdbc.sql("""
                SELECT count(*) FROM review_point p JOIN review_submission x ON x.id = p.submission_id
                WHERE x.round_id = ? AND p.recommended""").param(r.id()).query(Long.class).single();
        long cap = (long) Math.max(1, Math.floor(submitted * r.recommendShare() / 100));
        if (recommended >= cap) {
            throw new BadInputException("point", "review.error.shareReached", r.recommendShare(), cap);
        }
        jdbc.sql("UPDATE review_point SET recommended = TRUE WHERE submission_id = ? AND point = ?")
                .params(submissionId, point).update();
        audit.record(null, actor, "review.recommend", "review_submission", submissionId, s.path(), point.toString());
    }

    /** The submission for an admin over its school; 404 otherwise. */
    public Submission forAdmin(long submissionId, Scope scope) {
        return inScope(submissionId, scope);
    }

    private Submission inScope(long submissionId, Scope scope) {
        Submission s = submission(submissionId);
        if (!scope.covers(s.path())) {
            throw new NotFoundException();
        }
        return s;
    }

    // ---- reviewers -------------------------------------------------------------------------------------------

    public record Assignment(long submissionId, String roundTitle, String teacherName, String status, long files,
                             long graded) {
    }

    /** A reviewer's assignments; names are hidden in blind rounds. */
    public List<Assignment> assignments(long reviewerId) {
        return jdbc.sql("""
                        SELECT x.id, r.title, CASE WHEN r.blind THEN NULL ELSE x.teacher_name END, x.status,
                          (SELECT count(*) FROM review_file f WHERE f.submission_id = x.id),
                          (SELECT count(*) FROM review_grade g JOIN review_file f ON f.id = g.file_id
                            WHERE f.submission_id = x.id AND g.reviewer_id = a.reviewer_id)
                        FROM review_assignment a JOIN review_submission x ON x.id = a.submission_id
                        JOIN review_round r ON r.id = x.round_id WHERE a.reviewer_id = ? ORDER BY a.assigned_at DESC""")
                .param(reviewerId)
                .query((rs, n) -> new Assignment(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6)))
                .list();
    }

    /** The submission as its reviewer sees it: 404 unless assigned. */
    public Submission forReviewer(long submissionId, long reviewerId) {
        requireAssigned(submissionId, reviewerId);
        Submission s = submission(submissionId);
        return round(s.roundId()).blind() ? new Submission(s.id(), s.roundId(), 0, null, s.path(), s.status(),
                s.submittedAt()) : s;
    }

    private void requireAssigned(long submissionId, long reviewerId) {
        if (jdbc.sql("SELECT count(*) FROM review_assignment WHERE submission_id = ? AND reviewer_id = ?")
                .params(submissionId, reviewerId).query(Long.class).single() == 0) {
            throw new NotFoundException();
        }
    }

    /**
     * Grades one file. When every current file has a grade from every assigned reviewer, the points get their
     * results: 优秀 only if every grade is, 不合格 if any grade fails, 合格 otherwise.
     */
    @Transactional
    public void grade(long fileId, long reviewerId, Grade grade, String comment) {
        Long submissionId = jdbc.sql("SELECT submission_id FROM review_file WHERE id = ?").param(fileId)
                .query(Long.class).optional().orElseThrow(NotFoundException::new);
        requireAssigned(submissionId, reviewerId);
        Submission s = submission(submissionId);
        if (!s.status().equals("SUBMITTED") && !s.status().equals("RESUBMITTED")) {
            throw new BadInputException("grade", "review.error.notUnderReview");
        }
        if (grade == null) {
            throw new BadInputException("grade", "error.required");
        }
        String text = comment == null ? null : comment.strip();
        if (text != null && text.length() > 1000) {
            throw new BadInputException("comment", "error.tooLong", 1000);
        }
        if (grade != Grade.EXCELLENT && (text == null || text.isEmpty())) {
            throw new BadInputException("comment", "review.error.commentRequired");
        }
        jdbc.sql("""
                INSERT INTO review_grade (file_id, reviewer_id, grade, comment) VALUES (?, ?, ?, ?)
                ON CONFLICT (file_id, reviewer_id) DO UPDATE SET grade = EXCLUDED.grade, comment = EXCLUDED.comment,
                  graded_at = now()""").params(fileId, reviewerId, grade.name(), text).update();
        audit.record("review.grade", "review_file", fileId, s.path(), grade.name());
        conclude(s);
    }

    /** The current files of a point are, for each evidence form, those of the form's latest revision. */
    private void conclude(Submission s) {
        List<Object[]> current = jdbc.sql("""
                        SELECT f.point, f.id FROM review_file f
                        WHERE f.submission_id = ? AND f.revision = (SELECT max(revision) FROM review_file g
                          WHERE g.submission_id = f.submission_id AND g.point = f.point AND g.form = f.form)""")
                .param(s.id()).query((rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getLong(2)}).list();
        long reviewers = jdbc.sql("SELECT count(*) FROM review_assignment WHERE submission_id = ?").param(s.id())
                .query(Long.class).single();
        Map<UUID, List<Grade>> byPoint = new LinkedHashMap<>();
        for (Object[] f : current) {
            List<Grade> grades = jdbc.sql("SELECT grade FROM review_grade WHERE file_id = ?").param(f[1])
                    .query((rs, n) -> Grade.valueOf(rs.getString(1))).list();
            if (grades.size() < reviewers) {
                return; // not every reviewer has graded every file yet
            }
            byPoint.computeIfAbsent((UUID) f[0], k -> new ArrayList<>()).addAll(grades);
        }
        byPoint.forEach((point, grades) -> jdbc.sql("UPDATE review_point SET result = ? WHERE submission_id = ? "
                + "AND point = ?").params(grades.contains(Grade.FAIL) ? "FAIL" : grades.stream()
                .allMatch(g -> g == Grade.EXCELLENT) ? "EXCELLENT" : "PASS", s.id(), point).update());
        jdbc.sql("UPDATE review_submission SET status = ? WHERE id = ?")
                .params(s.status().equals("SUBMITTED") ? "GRADED" : "FINAL", s.id()).update();
    }

    // ---- files -----------------------------------------------------------------------------------------------

    public record FileContent(String fileName, String contentType, byte[] content) {
    }

    /** A file for its teacher, its assigned reviewers, and admins over its school; 404 for anyone else. */
    public FileContent file(long fileId, Long teacherId, long accountId, Scope scope) {
        var row = jdbc.sql("""
                        SELECT f.file_name, f.content_type, f.content, x.teacher_id, x.path, x.id FROM review_file f
                        JOIN review_submission x ON x.id = f.submission_id WHERE f.id = ?""")
                .param(fileId)
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getLong(4),
                        rs.getString(5), rs.getLong(6)})
                .optional().orElseThrow(NotFoundException::new);
        boolean own = teacherId != null && teacherId == (Long) row[3];
        boolean admin = scope.covers((String) row[4]);
        boolean reviewer = jdbc.sql("SELECT count(*) FROM review_assignment WHERE submission_id = ? AND reviewer_id = ?")
                .params(row[5], accountId).query(Long.class).single() > 0;
        if (!own && !admin && !reviewer) {
            throw new NotFoundException();
        }
        return new FileContent((String) row[0], (String) row[1], (byte[]) row[2]);
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
