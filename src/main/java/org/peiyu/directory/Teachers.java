package org.peiyu.directory;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.pii.PersonalData;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.peiyu.platform.web.Page;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The teachers of the directory: find, read, create, edit, transfer, change status; always within a scope. */
@Service
public class Teachers {

    private static final String ROW_COLUMNS = """
            t.id, t.name, t.gender, t.id_card_masked, t.staff_no, t.school_id, s.name AS school_name, t.subjects,
            t.title, t.birth_date, t.status, s.area_class""";

    private final JdbcClient jdbc;
    private final PersonalData pii;
    private final AuditLog audit;
    private final TeacherValidator validator;
    private final DirectoryTree tree;
    private final MessageSource messages;

    Teachers(JdbcClient jdbc, PersonalData pii, AuditLog audit, TeacherValidator validator, DirectoryTree tree,
             MessageSource messages) {
        this.jdbc = jdbc;
        this.pii = pii;
        this.audit = audit;
        this.validator = validator;
        this.tree = tree;
        this.messages = messages;
    }

    public Page<TeacherRow> search(TeacherQuery q, Scope scope) {
        List<Object> params = new ArrayList<>();
        String where = where(q, scope, params);
        String from = " FROM teacher t JOIN school s ON s.id = t.school_id WHERE ";
        long total;
        boolean capped = false;
        if (q.onlyUnits() && scope.ownTeacherId() == null) {
            total = headcount(q, scope);
        } else {
            // exact up to the deepest page served; beyond that "10 000+" says enough and costs no full scan
            total = jdbc.sql("SELECT count(*) FROM (SELECT 1" + from + where + " LIMIT " + (TeacherQuery.MAX_ROWS + 1)
                    + ") c").params(params).query(Long.class).single();
            if (total > TeacherQuery.MAX_ROWS) {
                total = TeacherQuery.MAX_ROWS;
                capped = true;
            }
        }
        params.add(q.size());
        params.add((long) (q.page() - 1) * q.size());
        List<TeacherRow> items = jdbc.sql("SELECT " + ROW_COLUMNS + from + where + " ORDER BY " + q.sort().sql
                        + " LIMIT ? OFFSET ?")
                .params(params).query(Teachers::row).list();
        return new Page<>(items, total, q.page(), q.size(), capped);
    }

    /** Teachers in scope by status, division and school, from the head counts the triggers keep. */
    private long headcount(TeacherQuery q, Scope scope) {
        Scope.Sql s = scope.sql("s.path", null);
        List<Object> params = new ArrayList<>(s.params());
        StringBuilder w = new StringBuilder(s.clause());
        if (q.status() != null) {
            w.append(" AND h.status = ?");
            params.add(q.status().name());
        }
        if (q.schoolId() != null) {
            w.append(" AND h.school_id = ?");
            params.add(q.schoolId());
        }
        if (q.divisionCode() != null) {
            w.append(" AND s.path LIKE ?");
            params.add(Scope.escapeLike(tree.division(q.divisionCode()).map(Division::path).orElse("/none/")) + "%");
        }
        return jdbc.sql("SELECT COALESCE(sum(h.teachers), 0) FROM school_headcount h JOIN school s ON s.id = h.school_id"
                + " WHERE " + w).params(params).query(Long.class).single();
    }

    private String where(TeacherQuery q, Scope scope, List<Object> params) {
        Scope.Sql s = scope.sql("t.path", "t.id");
        StringBuilder w = new StringBuilder(s.clause());
        params.addAll(s.params());
        if (q.text() != null) {
            String text = q.text();
            if (text.matches("\\d{17}[\\dXx]")) {
                w.append(" AND t.id_card_hash = ?");
                params.add(pii.hash(text));
            } else if (text.matches("1[3-9]\\d{9}")) {
                w.append(" AND t.phone_hash = ?");
                params.add(pii.hash(text));
            } else if (text.matches("[A-Za-z0-9_-]+")) {
                w.append(" AND t.staff_no = ?");
                params.add(text);
            } else {
                w.append(" AND t.name LIKE ?");
                params.add(Scope.escapeLike(text) + "%");
            }
        }
        if (q.schoolId() != null) {
            w.append(" AND t.school_id = ?");
            params.add(q.schoolId());
        }
        if (q.divisionCode() != null) {
            w.append(" AND t.path LIKE ?");
            String path = tree.division(q.divisionCode()).map(Division::path).orElse("/none/");
            params.add(Scope.escapeLike(path) + "%");
        }
        if (q.subject() != null) {
            w.append(" AND t.subjects @> ARRAY[?]::text[]");
            params.add(q.subject());
        }
        if (q.title() != null) {
            w.append(" AND t.title = ?");
            params.add(q.title().name());
        }
        if (q.ageBand() != null) {
            LocalDate today = LocalDate.now();
            w.append(" AND t.birth_date BETWEEN ? AND ?");
            params.add(q.ageBand().earliestBirth(today));
            params.add(q.ageBand().latestBirth(today));
        }
        if (q.areaClass() != null) {
            w.append(" AND s.area_class = ?");
            params.add(q.areaClass().name());
        }
        if (q.status() != null) {
            w.append(" AND t.status = ?");
            params.add(q.status().name());
        }
        return w.toString();
    }

    /** Streams every teacher the query finds in scope to .xlsx, masked; the export itself is audited. */
    public int export(TeacherQuery q, Scope scope, Locale locale, OutputStream out) throws IOException {
        List<Object> params = new ArrayList<>();
        String where = where(q, scope, params);
        Function<String, String> m = key -> messages.getMessage(key, null, key, locale);
        List<String> headers = List.of(m.apply("teacher.name"), m.apply("teacher.gender"), m.apply("teacher.idCard"),
                m.apply("teacher.staffNo"), m.apply("teacher.school"), m.apply("teacher.subjects"),
                m.apply("teacher.title"), m.apply("teacher.birthDate"), m.apply("teacher.status"),
                m.apply("school.areaClass"));
        int[] count = {0};
        try (XlsxExport x = new XlsxExport(out, m.apply("nav.teachers"), headers)) {
            jdbc.sql("SELECT " + ROW_COLUMNS + " FROM teacher t JOIN school s ON s.id = t.school_id WHERE " + where
                            + " ORDER BY " + q.sort().sql)
                    .params(params)
                    .query((RowCallbackHandler) rs -> {
                        TeacherRow r = row(rs, 0);
                        x.row(Arrays.asList(r.name(), label(m, r.gender()), r.idCardMasked(), r.staffNo(),
                                r.schoolName(), String.join(m.apply("list.separator"), r.subjects()),
                                label(m, r.title()), r.birthDate(), label(m, r.status()), label(m, r.areaClass())));
                        count[0]++;
                    });
        }
        audit.record("teacher.export", "teacher", null, scope.all() ? "" : String.join(",", scope.unitPaths()),
                count[0] + " rows, masked");
        return count[0];
    }

    private static String label(Function<String, String> m, Enum<?> e) {
        return e == null ? null : m.apply("enum." + e.getDeclaringClass().getSimpleName() + "." + e.name());
    }

    public TeacherDetail get(long id, Scope scope) {
        TeacherDetail d = jdbc.sql("""
                        SELECT t.id, t.name, t.gender, t.id_card_masked, t.phone_masked, t.staff_no, t.school_id,
                               s.code AS school_code, s.name AS school_name, t.path, s.area_class, t.subjects, t.grades,
                               t.title, t.post, t.birth_date, t.teaching_since, t.status, t.updated_at, t.teaching_group
                        FROM teacher t JOIN school s ON s.id = t.school_id WHERE t.id = ?""")
                .param(id)
                .query((rs, n) -> new TeacherDetail(rs.getLong("id"), rs.getString("name"),
                        Gender.valueOf(rs.getString("gender")), rs.getString("id_card_masked"),
                        rs.getString("phone_masked"), rs.getString("staff_no"), rs.getLong("school_id"),
                        rs.getString("school_code"), rs.getString("school_name"), rs.getString("path"),
                        AreaClass.valueOf(rs.getString("area_class")), List.of(strings(rs.getArray("subjects"))),
                        List.of(strings(rs.getArray("grades"))), enumOf(Title.class, rs.getString("title")),
                        rs.getString("post"), rs.getObject("birth_date", LocalDate.class),
                        rs.getObject("teaching_since", LocalDate.class), TeacherStatus.valueOf(rs.getString("status")),
                        rs.getObject("updated_at", OffsetDateTime.class), rs.getString("teaching_group"), List.of()))
                .optional().orElseThrow(NotFoundException::new);
        if (!scope.seesTeacher(d.id(), d.path())) {
            throw new NotFoundException();
        }
        List<TeacherDetail.Transfer> transfers = jdbc.sql("""
                        SELECT tt.at, f.name, s.name, tt.by_actor, tt.reason FROM teacher_transfer tt
                        JOIN school f ON f.id = tt.from_school_id JOIN school s ON s.id = tt.to_school_id
                        WHERE tt.teacher_id = ? ORDER BY tt.at, tt.id""")
                .param(id)
                .query((rs, n) -> new TeacherDetail.Transfer(rs.getObject(1, OffsetDateTime.class), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5)))
                .list();
        return new TeacherDetail(d.id(), d.name(), d.gender(), d.idCardMasked(), d.phoneMasked(), d.staffNo(),
                d.schoolId(), d.schoolCode(), d.schoolName(), d.path(), d.areaClass(), d.subjects(), d.grades(),
                d.title(), d.post(), d.birthDate(), d.teachingSince(), d.status(), d.updatedAt(), d.teachingGroup(),
                transfers);
    }

    /**
     * The unmasked ID-card and phone numbers, for a region admin over the teacher or the teacher themself.
     * Every reading is written to the audit log.
     */
    @Transactional
    public Unmasked reveal(long id, Scope scope) {
        TeacherDetail d = get(id, scope);
        Unmasked u = jdbc.sql("SELECT id_card_cipher, phone_cipher FROM teacher WHERE id = ?").param(id)
                .query((rs, n) -> new Unmasked(pii.decrypt(rs.getBytes(1)), pii.decrypt(rs.getBytes(2))))
                .single();
        audit.record("teacher.reveal", "teacher", id, d.path(), "id_card, phone");
        return u;
    }

    /** Unmasked personal numbers. */
    public record Unmasked(String idCard, String phone) {
    }

    @Transactional
    public long create(TeacherInput input, Scope scope) {
        ValidTeacher t = validated(input, scope, null);
        School school = tree.schoolByCode(t.schoolCode()).orElseThrow();
        long id = jdbc.sql("""
                        INSERT INTO teacher (name, gender, id_card_cipher, id_card_hash, id_card_masked, phone_cipher,
                          phone_hash, phone_masked, staff_no, school_id, path, subjects, grades, title, post,
                          birth_date, teaching_since, status, teaching_group)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(t.name(), t.gender().name(), pii.encrypt(t.idCard().value()), pii.hash(t.idCard().value()),
                        PersonalData.maskIdCard(t.idCard().value()), pii.encrypt(t.phone()), pii.hash(t.phone()),
                        PersonalData.maskPhone(t.phone()), t.staffNo(), school.id(), school.path(),
                        t.subjects().toArray(String[]::new), t.grades().toArray(String[]::new),
                        t.title() == null ? null : t.title().name(), t.post(), t.birthDate(), t.teachingSince(),
                        t.status().name(), t.teachingGroup())
                .query(Long.class).single();
        audit.record("teacher.create", "teacher", id, school.path(), t.name());
        return id;
    }

    /** Edits a teacher in place; a change of school goes through {@link #transfer}. */
    @Transactional
    public void update(long id, TeacherInput input, Scope scope) {
        TeacherDetail old = get(id, scope);
        if (!scope.covers(old.path())) {
            throw new NotFoundException();
        }
        ValidTeacher t = validated(input, scope, id);
        if (!t.schoolCode().equals(old.schoolCode())) {
            throw new BadInputException("schoolCode", "teacher.error.useTransfer");
        }
        jdbc.sql("""
                        UPDATE teacher SET name = ?, gender = ?, id_card_cipher = ?, id_card_hash = ?, id_card_masked = ?,
                          phone_cipher = ?, phone_hash = ?, phone_masked = ?, staff_no = ?, subjects = ?, grades = ?,
                          title = ?, post = ?, birth_date = ?, teaching_since = ?, status = ?, teaching_group = ?,
                          updated_at = now()
                        WHERE id = ?""")
                .params(t.name(), t.gender().name(), pii.encrypt(t.idCard().value()), pii.hash(t.idCard().value()),
                        PersonalData.maskIdCard(t.idCard().value()), pii.encrypt(t.phone()), pii.hash(t.phone()),
                        PersonalData.maskPhone(t.phone()), t.staffNo(), t.subjects().toArray(String[]::new),
                        t.grades().toArray(String[]::new), t.title() == null ? null : t.title().name(), t.post(),
                        t.birthDate(), t.teachingSince(), t.status().name(), t.teachingGroup(), id)
                .update();
        audit.record("teacher.update", "teacher", id, old.path(), t.name());
    }

    private ValidTeacher validated(TeacherInput input, Scope scope, Long selfId) {
        BadInputException.Collector problems = new BadInputException.Collector();
        ValidTeacher t = validator.validate(input, LocalDate.now(), problems);
        if (t != null) {
            School school = tree.schoolByCode(t.schoolCode()).filter(s -> scope.covers(s.path())).orElse(null);
            if (school == null) {
                problems.add("schoolCode", "teacher.error.unknownSchool", t.schoolCode());
            } else {
                Long other = jdbc.sql("SELECT id FROM teacher WHERE id_card_hash = ?").param(pii.hash(t.idCard().value()))
                        .query(Long.class).optional().orElse(null);
                if (other != null && !other.equals(selfId)) {
                    problems.add("idCard", "teacher.error.duplicateIdCard");
                }
                if (t.staffNo() != null) {
                    Long sameStaff = jdbc.sql("SELECT id FROM teacher WHERE school_id = ? AND staff_no = ?")
                            .params(school.id(), t.staffNo()).query(Long.class).optional().orElse(null);
                    if (sameStaff != null && !sameStaff.equals(selfId)) {
                        problems.add("staffNo", "teacher.error.duplicateStaffNo", t.staffNo());
                    }
                }
            }
        }
        problems.throwIfAny();
        return t;
    }

    /** Moves a teacher to another school in scope, keeping the history. */
    @Transactional
    public void transfer(long id, long toSchoolId, String reason, Scope scope) {
        TeacherDetail t = get(id, scope);
        if (!scope.covers(t.path())) {
            throw new NotFoundException();
        }
        School to;
        try {
            to = tree.school(toSchoolId, scope);
        } catch (NotFoundException e) {
            throw new BadInputException("toSchoolId", "teacher.error.unknownSchool", toSchoolId);
        }
        if (to.id() == t.schoolId()) {
            throw new BadInputException("toSchoolId", "teacher.error.sameSchool");
        }
        String cleanReason = Text.clean(reason);
        if (cleanReason != null && cleanReason.length() > 200) {
            throw new BadInputException("reason", "error.tooLong", 200);
        }
        jdbc.sql("UPDATE teacher SET school_id = ?, path = ?, staff_no = NULL, updated_at = now() WHERE id = ?")
                .params(to.id(), to.path(), id).update();
        jdbc.sql("INSERT INTO teacher_transfer (teacher_id, from_school_id, to_school_id, by_actor, reason) "
                        + "VALUES (?, ?, ?, ?, ?)")
                .params(id, t.schoolId(), to.id(), CurrentUser.find().map(u -> u.getUsername()).orElse("system"),
                        cleanReason)
                .update();
        audit.record("teacher.transfer", "teacher", id, to.path(), t.schoolName() + " → " + to.name());
    }

    /** 在职 / 调出 / 退休 / 离职: deactivating keeps the record and its history. */
    @Transactional
    public void setStatus(long id, TeacherStatus status, Scope scope) {
        TeacherDetail t = get(id, scope);
        if (!scope.covers(t.path())) {
            throw new NotFoundException();
        }
        jdbc.sql("UPDATE teacher SET status = ?, updated_at = now() WHERE id = ?").params(status.name(), id).update();
        audit.record("teacher.status", "teacher", id, t.path(), t.status() + " → " + status);
    }

    /** An active teacher as a member of a population (an assessment's, a report's), with the attributes reports use. */
    public record Member(long teacherId, String name, String path, long schoolId, String schoolName,
                         SchoolType schoolType, AreaClass areaClass, String[] subjects, Title title, AgeBand ageBand) {
    }

    /**
     * Streams the active teachers under {@code unitPath} (which must lie in the scope), optionally only those of the
     * given school types and subject, to {@code sink}: one query, in path order.
     */
    public void population(String unitPath, List<SchoolType> schoolTypes, String subject, Scope scope,
                           java.util.function.Consumer<Member> sink) {
        if (!scope.covers(unitPath)) {
            throw new NotFoundException();
        }
        List<Object> params = new ArrayList<>();
        params.add(Scope.escapeLike(unitPath) + "%");
        String filter = "";
        if (schoolTypes != null && !schoolTypes.isEmpty()) {
            filter += " AND s.type = ANY(?)";
            params.add(schoolTypes.stream().map(Enum::name).toArray(String[]::new));
        }
        if (subject != null && !subject.isBlank()) {
            filter += " AND t.subjects @> ARRAY[?]::text[]";
            params.add(subject.strip());
        }
        LocalDate today = LocalDate.now();
        jdbc.sql("""
                        SELECT t.id, t.name, t.path, t.school_id, s.name AS school_name, s.type, s.area_class, t.subjects,
                               t.title, t.birth_date
                        FROM teacher t JOIN school s ON s.id = t.school_id
                        WHERE t.path LIKE ? AND t.status = 'ACTIVE'""" + filter + " ORDER BY t.path, t.id")
                .params(params)
                .query((RowCallbackHandler) rs -> sink.accept(new Member(rs.getLong("id"), rs.getString("name"),
                        rs.getString("path"), rs.getLong("school_id"), rs.getString("school_name"),
                        SchoolType.valueOf(rs.getString("type")), AreaClass.valueOf(rs.getString("area_class")),
                        strings(rs.getArray("subjects")), enumOf(Title.class, rs.getString("title")),
                        AgeBand.of(rs.getObject("birth_date", LocalDate.class), today))));
    }

    /** The first active teacher (by name) of a school, e.g. to link a demo account. */
    public java.util.Optional<Long> firstActiveAt(String schoolCode) {
        return jdbc.sql("SELECT t.id FROM teacher t JOIN school s ON s.id = t.school_id WHERE s.code = ? "
                        + "AND t.status = 'ACTIVE' ORDER BY t.name, t.id LIMIT 1")
                .param(schoolCode).query(Long.class).optional();
    }

    /** The teacher with this ID-card number, if any (matched by keyed hash). */
    public java.util.Optional<Long> idByIdCard(String idCard) {
        return jdbc.sql("SELECT id FROM teacher WHERE id_card_hash = ?").param(pii.hash(idCard.trim().toUpperCase()))
                .query(Long.class).optional();
    }

    /** The teachers with these ID-card numbers, in one query: each number found → its teacher. */
    public java.util.Map<String, Long> idsByIdCards(java.util.Collection<String> idCards) {
        java.util.Map<String, String> byHash = new java.util.HashMap<>();
        java.util.HexFormat hex = java.util.HexFormat.of();
        idCards.forEach(c -> byHash.put(hex.formatHex(pii.hash(c.trim().toUpperCase())), c));
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        jdbc.sql("SELECT encode(id_card_hash, 'hex'), id FROM teacher WHERE id_card_hash = ANY(SELECT decode(h, "
                        + "'hex') FROM unnest(?::text[]) AS h)")
                .param(byHash.keySet().toArray(String[]::new))
                .query(rs -> {
                    out.put(byHash.get(rs.getString(1)), rs.getLong(2));
                });
        return out;
    }

    /** A way to recognise a teacher from another system's identifier. */
    public enum Identifier { STAFF_NO, ID_CARD, PHONE }

    /**
     * The teachers under a unit path with this identifier (keyed hash for ID-card and phone numbers): one when it
     * tells a teacher apart there, more when it does not (staff numbers are unique only within a school).
     */
    public List<Long> idsBy(Identifier kind, String value, String underPath) {
        String v = value.strip();
        String where = switch (kind) {
            case STAFF_NO -> "staff_no = ?";
            case ID_CARD -> "id_card_hash = ?";
            case PHONE -> "phone_hash = ?";
        };
        Object param = kind == Identifier.STAFF_NO ? v : pii.hash(kind == Identifier.ID_CARD ? v.toUpperCase() : v);
        return jdbc.sql("SELECT id FROM teacher WHERE " + where + " AND path LIKE ? ORDER BY id LIMIT 2")
                .params(param, Scope.escapeLike(underPath) + "%")
                .query(Long.class).list();
    }

    /** Teachers' names by id, for pages that show who a record belongs to. */
    public java.util.Map<Long, String> names(java.util.Collection<Long> ids) {
        java.util.Map<Long, String> names = new java.util.HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.sql("SELECT id, name FROM teacher WHERE id = ANY(?)").param(ids.toArray(Long[]::new))
                    .query(rs -> {
                        names.put(rs.getLong(1), rs.getString(2));
                    });
        }
        return names;
    }

    /** Teachers' unit paths by id, for records filed under the teacher's unit (ledger entries, compliance). */
    public java.util.Map<Long, String> paths(java.util.Collection<Long> ids) {
        java.util.Map<Long, String> paths = new java.util.HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.sql("SELECT id, path FROM teacher WHERE id = ANY(?)").param(ids.toArray(Long[]::new))
                    .query(rs -> {
                        paths.put(rs.getLong(1), rs.getString(2));
                    });
        }
        return paths;
    }

    /**
     * The next active teachers under a unit path after an id, in id order, with their unit paths: to walk every
     * teacher in pages.
     */
    public java.util.LinkedHashMap<Long, String> activeAfter(long afterId, int limit, String underPath) {
        java.util.LinkedHashMap<Long, String> paths = new java.util.LinkedHashMap<>();
        jdbc.sql("SELECT id, path FROM teacher WHERE id > ? AND status = 'ACTIVE' AND path LIKE ? ORDER BY id LIMIT ?")
                .params(afterId, Scope.escapeLike(underPath) + "%", limit).query(rs -> {
                    paths.put(rs.getLong(1), rs.getString(2));
                });
        return paths;
    }

    /** Whether a teacher belongs under a unit path. */
    public boolean isUnder(long teacherId, String unitPath) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM teacher WHERE id = ? AND path LIKE ?)")
                .params(teacherId, Scope.escapeLike(unitPath) + "%").query(Boolean.class).single();
    }

    static TeacherRow row(ResultSet rs, int n) throws SQLException {
        return new TeacherRow(rs.getLong("id"), rs.getString("name"), Gender.valueOf(rs.getString("gender")),
                rs.getString("id_card_masked"), rs.getString("staff_no"), rs.getLong("school_id"),
                rs.getString("school_name"), strings(rs.getArray("subjects")), enumOf(Title.class, rs.getString("title")),
                rs.getObject("birth_date", LocalDate.class), TeacherStatus.valueOf(rs.getString("status")),
                AreaClass.valueOf(rs.getString("area_class")));
    }

    static String[] strings(Array a) throws SQLException {
        return a == null ? new String[0] : (String[]) a.getArray();
    }

    static <E extends Enum<E>> E enumOf(Class<E> type, String name) {
        return name == null ? null : Enum.valueOf(type, name);
    }
}
