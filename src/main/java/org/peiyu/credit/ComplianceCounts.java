package org.peiyu.credit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How many teachers have each status under every unit, kept in step with the compliance rows: each row that changes
 * moves one count on its unit and every unit above it.
 */
@Component
class ComplianceCounts {

    /** A compliance row's place and status, before or after a change. */
    record Place(String unitPath, String status) {
    }

    /** The count of one status under one unit; {@code parentPath} is the unit above (null for the whole tree). */
    record Count(String unitPath, String parentPath, String status, long n) {
    }

    private final JdbcClient jdbc;

    ComplianceCounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Moves the counts from the places rows were in to the places they are in now. */
    void move(List<Place> before, List<Place> after) {
        Map<String, long[]> deltas = new TreeMap<>(); // "path|status", sorted so concurrent changes cannot deadlock
        before.forEach(p -> add(deltas, p, -1));
        after.forEach(p -> add(deltas, p, +1));
        deltas.values().removeIf(d -> d[0] == 0);
        if (deltas.isEmpty()) {
            return;
        }
        List<String> paths = new ArrayList<>();
        List<String> parents = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        List<Long> ns = new ArrayList<>();
        deltas.forEach((key, d) -> {
            String path = key.substring(0, key.indexOf('|'));
            paths.add(path);
            parents.add(parent(path));
            statuses.add(key.substring(key.indexOf('|') + 1));
            ns.add(d[0]);
        });
        jdbc.sql("""
                        INSERT INTO credit_compliance_count (unit_path, parent_path, status, n)
                        SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[])
                        ON CONFLICT (unit_path, status) DO UPDATE SET n = credit_compliance_count.n + excluded.n""")
                .params(paths.toArray(String[]::new), parents.toArray(String[]::new),
                        statuses.toArray(String[]::new), ns.toArray(Long[]::new))
                .update();
    }

    private static void add(Map<String, long[]> deltas, Place p, int by) {
        if (p.unitPath() == null) {
            return;
        }
        for (int i = p.unitPath().indexOf('/'); i >= 0; i = p.unitPath().indexOf('/', i + 1)) {
            deltas.computeIfAbsent(p.unitPath().substring(0, i + 1) + "|" + p.status(), k -> new long[1])[0] += by;
        }
    }

    /** '/440000/440300/' → '/440000/'; '/' → null. */
    static String parent(String path) {
        return path.equals("/") ? null : path.substring(0, path.lastIndexOf('/', path.length() - 2) + 1);
    }

    /** Counts everything again from the compliance rows (within the caller's transaction). */
    void rebuild() {
        jdbc.sql("DELETE FROM credit_compliance_count").update();
        jdbc.sql("""
                INSERT INTO credit_compliance_count (unit_path, parent_path, status, n)
                SELECT a.path, a.parent, c.status, count(*)
                FROM credit_compliance c
                CROSS JOIN LATERAL (
                    SELECT left(c.unit_path, i) AS path, lag(left(c.unit_path, i)) OVER (ORDER BY i) AS parent
                    FROM generate_series(1, length(c.unit_path)) AS i
                    WHERE substr(c.unit_path, i, 1) = '/') AS a
                GROUP BY 1, 2, 3""").update();
    }

    /** The counts of a unit and of each unit directly below it. */
    List<Count> of(String unitPath) {
        return jdbc.sql("SELECT unit_path, parent_path, status, n FROM credit_compliance_count "
                        + "WHERE (unit_path = ? OR parent_path = ?) AND n <> 0 ORDER BY unit_path, status")
                .params(unitPath, unitPath).query(Count.class).list();
    }
}
