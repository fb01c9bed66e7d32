package org.peiyu.platform.security;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of the administrative tree a user may see: everything (system administrators), the subtrees under the
 * units of their admin grants, and/or their own teacher record. Every query of scoped data goes through
 * {@link #sql(String, String)} so lists, details, searches, exports and counts agree.
 */
public record Scope(boolean all, List<String> unitPaths, Long ownTeacherId) {

    public static final Scope NONE = new Scope(false, List.of(), null);
    public static final Scope ALL = new Scope(true, List.of(), null);

    static Scope of(PeiyuUser user) {
        if (user.has(Role.SYSTEM_ADMIN)) {
            return ALL;
        }
        List<String> paths = new ArrayList<>();
        for (Grant g : user.grants()) {
            if (g.role().isRegionAdmin() && g.unitPath() != null && !g.unitPath().isEmpty()) {
                paths.add(g.unitPath());
            }
        }
        return new Scope(false, List.copyOf(paths), user.has(Role.TEACHER) ? user.teacherId() : null);
    }

    /** True if a unit (or a record filed under it) lies inside a subtree of this scope. */
    public boolean covers(String unitPath) {
        return all || (unitPath != null && unitPaths.stream().anyMatch(unitPath::startsWith));
    }

    public boolean seesTeacher(long teacherId, String unitPath) {
        return covers(unitPath) || (ownTeacherId != null && ownTeacherId == teacherId);
    }

    /** Whether the user administers any unit, i.e. may see lists beyond their own record. */
    public boolean isAdmin() {
        return all || !unitPaths.isEmpty();
    }

    /**
     * A SQL predicate restricting rows to this scope.
     *
     * @param pathColumn      the column holding the row's unit path
     * @param teacherIdColumn the column holding the row's teacher id, or null when rows are not teachers' own
     */
    public Sql sql(String pathColumn, String teacherIdColumn) {
        if (all) {
            return new Sql("TRUE", List.of());
        }
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (String p : unitPaths) {
            parts.add(pathColumn + " LIKE ?");
            params.add(escapeLike(p) + "%");
        }
        if (ownTeacherId != null && teacherIdColumn != null) {
            parts.add(teacherIdColumn + " = ?");
            params.add(ownTeacherId);
        }
        return parts.isEmpty() ? new Sql("FALSE", List.of()) : new Sql("(" + String.join(" OR ", parts) + ")", params);
    }

    public static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** A fragment of SQL with its positional parameters. */
    public record Sql(String clause, List<Object> params) {
    }
}
