package org.peiyu.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.peiyu.platform.web.Page;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Divisions and schools: the administrative tree that every scope is cut from. */
@Service
public class DirectoryTree {

    static final String SCHOOL_COLUMNS = """
            s.id, s.code, s.name, s.division_code, d.name AS division_name, s.type, s.area_class, s.address, s.path,
            s.active""";
    private static final String ACTIVE_TEACHERS = """
            COALESCE((SELECT h.teachers FROM school_headcount h WHERE h.school_id = s.id AND h.status = 'ACTIVE'), 0)
              AS teacher_count""";

    private final JdbcClient jdbc;
    private final AuditLog audit;

    private final org.springframework.context.MessageSource messages;

    DirectoryTree(JdbcClient jdbc, AuditLog audit, org.springframework.context.MessageSource messages) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.messages = messages;
    }

    public Optional<Division> division(String code) {
        return jdbc.sql("SELECT code, name, level, parent_code, path FROM division WHERE code = ?")
                .param(code).query(Division.class).optional();
    }

    /** Divisions whose subtree meets the scope: those inside it and those above it (to navigate down). */
    public List<Division> divisions(Scope scope) {
        List<Division> all = jdbc.sql("SELECT code, name, level, parent_code, path FROM division ORDER BY path")
                .query(Division.class).list();
        if (scope.all()) {
            return all;
        }
        return all.stream().filter(d -> scope.covers(d.path())
                || scope.unitPaths().stream().anyMatch(p -> p.startsWith(d.path()))).toList();
    }

    /** A division with the number of schools and active teachers under it. */
    public record DivisionCount(Division division, long schools, long teachers, boolean inScope) {
    }

    /** The divisions the scope can navigate, with counts inside the scope only (one pass over schools). */
    public List<DivisionCount> divisionsWithCounts(Scope scope) {
        Scope.Sql s = scope.sql("s.path", null);
        java.util.Map<String, long[]> bySchoolPath = new java.util.HashMap<>();
        jdbc.sql("SELECT s.path, COALESCE(h.teachers, 0) FROM school s LEFT JOIN school_headcount h "
                        + "ON h.school_id = s.id AND h.status = 'ACTIVE' WHERE " + s.clause())
                .params(s.params())
                .query((org.springframework.jdbc.core.RowCallbackHandler) rs ->
                        bySchoolPath.put(rs.getString(1), new long[] {rs.getLong(2)}));
        return divisions(scope).stream().map(d -> {
            long schools = 0;
            long teachers = 0;
            for (var e : bySchoolPath.entrySet()) {
                if (e.getKey().startsWith(d.path())) {
                    schools++;
                    teachers += e.getValue()[0];
                }
            }
            return new DivisionCount(d, schools, teachers, scope.covers(d.path()));
        }).toList();
    }

    /** A division or school by code, for binding roles to units. */
    public Optional<Unit> unit(String code) {
        if (code == null) {
            return Optional.empty();
        }
        if (code.length() == 6) {
            return division(code).map(d -> new Unit(d.code(), d.name(), d.path(),
                    Unit.Kind.values()[d.level() - 1]));
        }
        return jdbc.sql("SELECT code, name, path FROM school WHERE code = ?").param(code)
                .query((rs, n) -> new Unit(rs.getString(1), rs.getString(2), rs.getString(3), Unit.Kind.SCHOOL))
                .optional();
    }

    /** The unit whose path is {@code path}. */
    public Optional<Unit> unitByPath(String path) {
        if (path == null || path.length() < 3) {
            return Optional.empty();
        }
        String[] codes = path.substring(1).split("/");
        return unit(codes[codes.length - 1]);
    }

    @Transactional
    public Division createDivision(String code, String name, String parentCode, Scope scope) {
        String cleanName = Text.clean(name);
        Division parent = parentCode == null || parentCode.isBlank() ? null
                : division(parentCode.trim()).orElseThrow(() -> new BadInputException("parentCode", "division.error.parent"));
        if (parent == null ? !scope.all() : !scope.covers(parent.path())) {
            throw new NotFoundException();
        }
        int level = parent == null ? 1 : parent.level() + 1;
        BadInputException.Collector problems = new BadInputException.Collector();
        if (level > 3) {
            problems.add("parentCode", "division.error.tooDeep");
        }
        String c = code == null ? null : code.trim();
        if (!Division.codeFits(c, level, parent == null ? null : parent.code())) {
            problems.add("code", "division.error.code", level);
        } else if (division(c).isPresent()) {
            problems.add("code", "division.error.exists", c);
        }
        if (cleanName == null) {
            problems.add("name", "error.required");
        }
        problems.throwIfAny();
        String path = Division.pathOf(parent == null ? null : parent.path(), c);
        jdbc.sql("INSERT INTO division (code, name, level, parent_code, path) VALUES (?, ?, ?, ?, ?)")
                .params(c, cleanName, level, parent == null ? null : parent.code(), path).update();
        audit.record("division.create", "division", c, path, cleanName);
        return new Division(c, cleanName, level, parent == null ? null : parent.code(), path);
    }

    public School school(long id, Scope scope) {
        School s = jdbc.sql("SELECT " + SCHOOL_COLUMNS + ", " + ACTIVE_TEACHERS
                        + " FROM school s JOIN division d ON d.code = s.division_code WHERE s.id = ?")
                .param(id).query(School.class).optional().orElseThrow(NotFoundException::new);
        if (!scope.covers(s.path())) {
            throw new NotFoundException();
        }
        return s;
    }

    public Optional<School> schoolByCode(String code) {
        return jdbc.sql("SELECT " + SCHOOL_COLUMNS + ", 0 AS teacher_count FROM school s "
                        + "JOIN division d ON d.code = s.division_code WHERE s.code = ?")
                .param(code).query(School.class).optional();
    }

    /** Schools in scope, filtered by name or code, division, type and area class. */
    public Page<School> schools(SchoolQuery q, Scope scope) {
        List<Object> params = new ArrayList<>();
        String where = schoolWhere(q, scope, params);
        long total = jdbc.sql("SELECT count(*) FROM school s WHERE " + where).params(params).query(Long.class).single();
        params.add(q.size());
        params.add((long) (q.page() - 1) * q.size());
        List<School> items = jdbc.sql("SELECT " + SCHOOL_COLUMNS + ", " + ACTIVE_TEACHERS
                        + " FROM school s JOIN division d ON d.code = s.division_code WHERE " + where
                        + " ORDER BY s.path, s.name LIMIT ? OFFSET ?")
                .params(params).query(School.class).list();
        return new Page<>(items, total, q.page(), q.size());
    }

    /** Streams every school the query finds in scope to .xlsx; the export is audited. */
    public int exportSchools(SchoolQuery q, Scope scope, java.util.Locale locale, java.io.OutputStream out)
            throws java.io.IOException {
        List<Object> params = new ArrayList<>();
        String where = schoolWhere(q, scope, params);
        java.util.function.Function<String, String> m = key -> messages.getMessage(key, null, key, locale);
        int[] count = {0};
        try (XlsxExport x = new XlsxExport(out, m.apply("nav.schools"), List.of(m.apply("school.code"),
                m.apply("school.name"), m.apply("field.divisionCode"), m.apply("school.type"),
                m.apply("school.areaClass"), m.apply("school.address"), m.apply("home.activeTeachers"),
                m.apply("school.state")))) {
            jdbc.sql("SELECT " + SCHOOL_COLUMNS + ", " + ACTIVE_TEACHERS + " FROM school s JOIN division d "
                            + "ON d.code = s.division_code WHERE " + where + " ORDER BY s.path")
                    .params(params)
                    .query((org.springframework.jdbc.core.RowCallbackHandler) rs -> {
                        x.row(java.util.Arrays.asList(rs.getString("code"), rs.getString("name"),
                                rs.getString("division_name"), m.apply("enum.SchoolType." + rs.getString("type")),
                                m.apply("enum.AreaClass." + rs.getString("area_class")), rs.getString("address"),
                                rs.getLong("teacher_count"),
                                m.apply(rs.getBoolean("active") ? "school.active" : "school.inactive")));
                        count[0]++;
                    });
        }
        audit.record("school.export", "school", null, scope.all() ? "" : String.join(",", scope.unitPaths()),
                count[0] + " rows");
        return count[0];
    }

    /** Most schools a picker lists; a wider scope picks a division first. */
    static final int PICKER_LIMIT = 500;

    /**
     * Schools to pick from: those in scope under the division (or the whole scope), or none when there are more than
     * {@link #PICKER_LIMIT}: nobody scrolls through 20 000 schools.
     */
    public List<School> schoolChoices(Scope scope, String divisionCode) {
        Scope.Sql s = scope.sql("s.path", null);
        List<Object> params = new ArrayList<>(s.params());
        String under = "";
        if (divisionCode != null && !divisionCode.isBlank()) {
            under = " AND s.path LIKE ?";
            params.add(Scope.escapeLike(division(divisionCode.strip()).map(Division::path).orElse("/none/")) + "%");
        }
        List<School> schools = jdbc.sql("SELECT " + SCHOOL_COLUMNS + ", 0 AS teacher_count FROM school s "
                        + "JOIN division d ON d.code = s.division_code WHERE s.active AND " + s.clause() + under
                        + " ORDER BY s.path LIMIT " + (PICKER_LIMIT + 1))
                .params(params).query(School.class).list();
        return schools.size() > PICKER_LIMIT ? List.of() : schools;
    }

    /** Every school in scope (for checking imports), in tree order. */
    public List<School> allSchools(Scope scope) {
        Scope.Sql s = scope.sql("s.path", null);
        return jdbc.sql("SELECT " + SCHOOL_COLUMNS + ", 0 AS teacher_count FROM school s "
                        + "JOIN division d ON d.code = s.division_code WHERE s.active AND " + s.clause()
                        + " ORDER BY s.path")
                .params(s.params()).query(School.class).list();
    }

    private static String schoolWhere(SchoolQuery q, Scope scope, List<Object> params) {
        Scope.Sql s = scope.sql("s.path", null);
        StringBuilder where = new StringBuilder(s.clause());
        params.addAll(s.params());
        if (q.text() != null) {
            where.append(" AND (s.code = ? OR s.name LIKE ?)");
            params.add(q.text());
            params.add("%" + Scope.escapeLike(q.text()) + "%");
        }
        if (q.divisionCode() != null) {
            where.append(" AND s.path LIKE ?");
            params.add("%/" + Scope.escapeLike(q.divisionCode()) + "/%");
        }
        if (q.type() != null) {
            where.append(" AND s.type = ?");
            params.add(q.type().name());
        }
        if (q.areaClass() != null) {
            where.append(" AND s.area_class = ?");
            params.add(q.areaClass().name());
        }
        return where.toString();
    }

    /** Creates or updates a school; a region admin may only file it under a division of their subtree. */
    @Transactional
    public long saveSchool(Long id, SchoolForm form, Scope scope) {
        SchoolForm f = form.cleaned();
        BadInputException.Collector problems = new BadInputException.Collector();
        Division division = f.divisionCode() == null ? null : division(f.divisionCode()).orElse(null);
        if (f.code() == null || !f.code().matches("\\d{10}")) {
            problems.add("code", "school.error.code");
        }
        if (f.name() == null) {
            problems.add("name", "error.required");
        }
        if (division == null || division.level() != 3) {
            problems.add("divisionCode", "school.error.division");
        } else if (!scope.covers(division.path())) {
            problems.add("divisionCode", "school.error.division");
        }
        if (f.type() == null) {
            problems.add("type", "error.required");
        }
        if (f.areaClass() == null) {
            problems.add("areaClass", "error.required");
        }
        if (problems.isEmpty()) {
            Optional<School> sameCode = schoolByCode(f.code());
            if (sameCode.isPresent() && (id == null || sameCode.get().id() != id)) {
                problems.add("code", "school.error.duplicate", f.code());
            }
        }
        problems.throwIfAny();
        String path = division.path() + f.code() + "/";
        if (id == null) {
            long newId = jdbc.sql("""
                            INSERT INTO school (code, name, division_code, type, area_class, address, path)
                            VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                    .params(f.code(), f.name(), division.code(), f.type().name(), f.areaClass().name(), f.address(), path)
                    .query(Long.class).single();
            audit.record("school.create", "school", newId, path, f.name());
            return newId;
        }
        School old = school(id, scope);
        jdbc.sql("""
                        UPDATE school SET code = ?, name = ?, division_code = ?, type = ?, area_class = ?, address = ?,
                        path = ?, updated_at = now() WHERE id = ?""")
                .params(f.code(), f.name(), division.code(), f.type().name(), f.areaClass().name(), f.address(), path, id)
                .update();
        if (!old.path().equals(path)) {
            jdbc.sql("UPDATE teacher SET path = ? WHERE school_id = ?").params(path, id).update();
        }
        audit.record("school.update", "school", id, path, f.name());
        return id;
    }

    @Transactional
    public void setSchoolActive(long id, boolean active, Scope scope) {
        School s = school(id, scope);
        jdbc.sql("UPDATE school SET active = ?, updated_at = now() WHERE id = ?").params(active, id).update();
        audit.record(active ? "school.activate" : "school.deactivate", "school", id, s.path(), s.name());
    }
}
