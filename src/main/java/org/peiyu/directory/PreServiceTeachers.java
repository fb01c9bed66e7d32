package org.peiyu.directory;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.pii.PersonalData;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.peiyu.platform.web.Page;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Student teachers (师范生), filed under the division of their university so region scopes apply. */
@Service
public class PreServiceTeachers {

    private final JdbcClient jdbc;
    private final PersonalData pii;
    private final DirectoryTree tree;
    private final AuditLog audit;

    private final org.springframework.context.MessageSource messages;

    PreServiceTeachers(JdbcClient jdbc, PersonalData pii, DirectoryTree tree, AuditLog audit,
                       org.springframework.context.MessageSource messages) {
        this.jdbc = jdbc;
        this.pii = pii;
        this.tree = tree;
        this.audit = audit;
        this.messages = messages;
    }

    /** What a person types; every field still text. */
    public record Input(String name, String idCard, String studentNo, String university, String major,
                        String expectedGraduation, String divisionCode) {
        public static Input empty() {
            return new Input(null, null, null, null, null, null, null);
        }
    }

    /** A student teacher as listed and shown: the ID-card number masked. */
    public record Row(long id, String name, Gender gender, String idCardMasked, String studentNo, String university,
                      String major, LocalDate expectedGraduation, String divisionCode, String divisionName,
                      String path) {
    }

    private static final String COLUMNS = """
            p.id, p.name, p.gender, p.id_card_masked, p.student_no, p.university, p.major, p.expected_graduation,
            p.division_code, d.name AS division_name, p.path""";

    public Page<Row> search(String text, Integer page, Scope scope) {
        int p = page == null ? 1 : Math.max(1, page);
        List<Object> params = new ArrayList<>();
        String where = where(text, scope, params);
        long total = jdbc.sql("SELECT count(*) FROM pre_service_teacher p WHERE " + where).params(params)
                .query(Long.class).single();
        params.add(20);
        params.add((long) (p - 1) * 20);
        List<Row> rows = jdbc.sql("SELECT " + COLUMNS + " FROM pre_service_teacher p JOIN division d "
                        + "ON d.code = p.division_code WHERE " + where + " ORDER BY p.name, p.id LIMIT ? OFFSET ?")
                .params(params).query(Row.class).list();
        return new Page<>(rows, total, p, 20);
    }

    /** Every student teacher the search finds in scope, masked, as .xlsx; the export is audited. */
    public void export(String text, Scope scope, java.util.Locale locale, java.io.OutputStream out)
            throws java.io.IOException {
        List<Object> params = new ArrayList<>();
        String where = where(text, scope, params);
        java.util.function.Function<String, String> m = key -> messages.getMessage(key, null, key, locale);
        int[] count = {0};
        try (XlsxExport x = new XlsxExport(out, m.apply("nav.preService"), List.of(m.apply("field.name"),
                m.apply("field.gender"), m.apply("field.idCard"), m.apply("field.studentNo"),
                m.apply("field.university"), m.apply("field.major"), m.apply("field.expectedGraduation"),
                m.apply("field.divisionCode")))) {
            jdbc.sql("SELECT " + COLUMNS + " FROM pre_service_teacher p JOIN division d ON d.code = p.division_code "
                            + "WHERE " + where + " ORDER BY p.name, p.id")
                    .params(params)
                    .query((org.springframework.jdbc.core.RowCallbackHandler) rs -> {
                        x.row(java.util.Arrays.asList(rs.getString("name"),
                                m.apply("enum.Gender." + rs.getString("gender")), rs.getString("id_card_masked"),
                                rs.getString("student_no"), rs.getString("university"), rs.getString("major"),
                                rs.getObject("expected_graduation", LocalDate.class), rs.getString("division_name")));
                        count[0]++;
                    });
        }
        audit.record("preService.export", "pre_service_teacher", null,
                scope.all() ? "" : String.join(",", scope.unitPaths()), count[0] + " rows, masked");
    }

    private String where(String text, Scope scope, List<Object> params) {
        Scope.Sql s = scope.sql("p.path", null);
        params.addAll(s.params());
        String where = s.clause();
        String t = Text.clean(text);
        if (t != null) {
            if (t.matches("\\d{17}[\\dXx]")) {
                where += " AND p.id_card_hash = ?";
                params.add(pii.hash(t));
            } else {
                where += " AND (p.name LIKE ? OR p.university LIKE ? OR p.student_no = ?)";
                params.add(Scope.escapeLike(t) + "%");
                params.add("%" + Scope.escapeLike(t) + "%");
                params.add(t);
            }
        }
        return where;
    }

    public Row get(long id, Scope scope) {
        Row r = jdbc.sql("SELECT " + COLUMNS + " FROM pre_service_teacher p JOIN division d ON d.code = p.division_code "
                        + "WHERE p.id = ?")
                .param(id).query(Row.class).optional().orElseThrow(NotFoundException::new);
        if (!scope.covers(r.path())) {
            throw new NotFoundException();
        }
        return r;
    }

    @Transactional
    public long save(Long id, Input in, Scope scope) {
        if (id != null) {
            get(id, scope);
        }
        BadInputException.Collector problems = new BadInputException.Collector();
        String name = Text.clean(in.name());
        if (name == null || name.length() > 50) {
            problems.add("name", name == null ? "error.required" : "teacher.error.name");
        }
        IdCardNumber.Parsed idCard = IdCardNumber.parse(Text.clean(in.idCard()), LocalDate.now());
        if (!idCard.ok()) {
            problems.add("idCard", idCard.errorKey());
        }
        String university = Text.clean(in.university());
        if (university == null) {
            problems.add("university", "error.required");
        } else if (university.length() > 100) {
            problems.add("university", "error.tooLong", 100);
        }
        String major = Text.clean(in.major());
        if (major == null) {
            problems.add("major", "error.required");
        } else if (major.length() > 100) {
            problems.add("major", "error.tooLong", 100);
        }
        String studentNo = Text.clean(in.studentNo());
        if (studentNo != null && !studentNo.matches("[A-Za-z0-9_-]{1,30}")) {
            problems.add("studentNo", "teacher.error.staffNo");
        }
        LocalDate graduation = Dates.parse(in.expectedGraduation());
        if (graduation == null) {
            problems.add("expectedGraduation", Text.clean(in.expectedGraduation()) == null ? "error.required"
                    : "error.date", Text.clean(in.expectedGraduation()));
        }
        Division division = Text.clean(in.divisionCode()) == null ? null
                : tree.division(Text.clean(in.divisionCode())).filter(d -> scope.covers(d.path())).orElse(null);
        if (division == null) {
            problems.add("divisionCode", "school.error.division");
        }
        if (idCard.ok()) {
            Long other = jdbc.sql("SELECT id FROM pre_service_teacher WHERE id_card_hash = ?")
                    .param(pii.hash(idCard.number().value())).query(Long.class).optional().orElse(null);
            if (other != null && !other.equals(id)) {
                problems.add("idCard", "teacher.error.duplicateIdCard");
            }
        }
        problems.throwIfAny();
        String number = idCard.number().value();
        if (id == null) {
            long newId = jdbc.sql("""
                            INSERT INTO pre_service_teacher (name, gender, id_card_cipher, id_card_hash, id_card_masked,
                              student_no, university, major, expected_graduation, division_code, path)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                    .params(name, idCard.number().gender().name(), pii.encrypt(number), pii.hash(number),
                            PersonalData.maskIdCard(number), studentNo, university, major, graduation,
                            division.code(), division.path())
                    .query(Long.class).single();
            audit.record("preService.create", "pre_service_teacher", newId, division.path(), name);
            return newId;
        }
        jdbc.sql("""
                        UPDATE pre_service_teacher SET name = ?, gender = ?, id_card_cipher = ?, id_card_hash = ?,
                          id_card_masked = ?, student_no = ?, university = ?, major = ?, expected_graduation = ?,
                          division_code = ?, path = ?, updated_at = now() WHERE id = ?""")
                .params(name, idCard.number().gender().name(), pii.encrypt(number), pii.hash(number),
                        PersonalData.maskIdCard(number), studentNo, university, major, graduation, division.code(),
                        division.path(), id)
                .update();
        audit.record("preService.update", "pre_service_teacher", id, division.path(), name);
        return id;
    }

    /** The full ID-card number, for editing; audited. */
    @Transactional
    public String revealIdCard(long id, Scope scope) {
        Row r = get(id, scope);
        String number = pii.decrypt(jdbc.sql("SELECT id_card_cipher FROM pre_service_teacher WHERE id = ?").param(id)
                .query(byte[].class).single());
        audit.record("preService.reveal", "pre_service_teacher", id, r.path(), "id_card");
        return number;
    }
}
