package org.peiyu.credit;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.peiyu.credit.RuleSet.Measure;
import org.peiyu.credit.Standing.Status;
import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.Teachers;
import org.peiyu.directory.Unit;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.notification.Notifications;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.peiyu.platform.web.Page;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every active teacher's standing against the rule set that applies to them, kept as a row per teacher so that admins
 * can count and list by status down the tree: updated in the transaction of each posting, recomputed for everyone
 * nightly (the even pace a standing is judged against moves with the calendar) and on demand.
 */
@Component
public class Compliance {

    private static final Logger log = LoggerFactory.getLogger(Compliance.class);
    private static final int CHUNK = 5_000;

    /** A teacher's row: overall status and forecast, the total, and the requirement furthest from being met. */
    public record Row(long teacherId, String name, String unitPath, Status status, Status forecast, Measure measure,
                      BigDecimal required, BigDecimal earned, String gapLabel, String gapLabelEn, Measure gapMeasure,
                      BigDecimal gap, int monthsLeft) {
    }

    /** Teachers by status under one unit (a child of the unit looked at, or the whole of it). */
    public record Rate(String code, String name, long teachers, long met, long onTrack, long atRisk, long behind) {
        /** Share met or on track, in percent. */
        public double rate() {
            return teachers == 0 ? 0 : (met + onTrack) * 100.0 / teachers;
        }

        /** How many have a status (all when null). */
        public long count(Status status) {
            return status == null ? teachers : switch (status) {
                case MET -> met;
                case ON_TRACK -> onTrack;
                case AT_RISK -> atRisk;
                case BEHIND -> behind;
            };
        }
    }

    /** The rates under a unit: its own and one per unit below it. */
    public record Rates(String unitPath, String unitName, Rate whole, List<Rate> below) {
    }

    /** A teacher's standing as judged now, with the rule set that judges it. */
    public record Judged(RuleSet ruleSet, Standing standing) {
    }

    private final JdbcClient jdbc;
    private final RuleSets ruleSets;
    private final Balances balances;
    private final Teachers teachers;
    private final DirectoryTree tree;
    private final TransactionTemplate tx;
    private final Notifications notifications;
    private final AuditLog audit;
    private final List<PlannedHours> plannedHours;
    private final ComplianceCounts counts;
    private final java.util.concurrent.Executor executor;

    Compliance(JdbcClient jdbc, RuleSets ruleSets, Balances balances, Teachers teachers, DirectoryTree tree,
               TransactionTemplate tx, Notifications notifications, AuditLog audit, List<PlannedHours> plannedHours,
               ComplianceCounts counts,
               @org.springframework.beans.factory.annotation.Qualifier("applicationTaskExecutor")
               java.util.concurrent.Executor executor) {
        this.executor = executor;
        this.counts = counts;
        this.plannedHours = plannedHours;
        this.notifications = notifications;
        this.audit = audit;
        this.jdbc = jdbc;
        this.ruleSets = ruleSets;
        this.balances = balances;
        this.teachers = teachers;
        this.tree = tree;
        this.tx = tx;
    }

    /** A teacher's standing on a day (today, or a past cycle's last day), computed from their balances. */
    public Judged judge(long teacherId, String unitPath, LocalDate day) {
        RuleSet rs = ruleSets.applicable(unitPath, day);
        return new Judged(rs, Standing.of(rs, balances.of(List.of(teacherId)).getOrDefault(teacherId, List.of()),
                planned(List.of(teacherId)).getOrDefault(teacherId, List.of()), day));
    }

    /** What every module that knows of booked hours says of these teachers. */
    private Map<Long, List<Standing.Balance>> planned(Collection<Long> teacherIds) {
        Map<Long, List<Standing.Balance>> all = new java.util.HashMap<>();
        plannedHours.forEach(p -> p.of(teacherIds).forEach((t, b) -> all.computeIfAbsent(t,
                k -> new ArrayList<>()).addAll(b)));
        return all;
    }

    /** Brings these teachers' rows up to date, e.g. after what is planned for them changed (caller's transaction). */
    public void refresh(Collection<Long> teacherIds) {
        update(teacherIds, teachers.paths(teacherIds));
    }

    /** Brings these teachers' rows up to date (within the caller's transaction). */
    void update(Collection<Long> teacherIds, Map<Long, String> paths) {
        LocalDate today = LocalDate.now(CreditLedger.ZONE);
        Map<Long, List<Standing.Balance>> all = balances.of(teacherIds);
        Map<Long, List<Standing.Balance>> planned = planned(teacherIds);
        List<Object[]> rows = new ArrayList<>(teacherIds.size());
        for (long id : teacherIds) {
            String path = paths.get(id);
            if (path != null) {
                RuleSet rs = ruleSets.applicable(path, today);
                rows.add(row(id, path, rs, Standing.of(rs, all.getOrDefault(id, List.of()),
                        planned.getOrDefault(id, List.of()), today)));
            }
        }
        write(rows);
    }

    private static Object[] row(long id, String path, RuleSet rs, Standing s) {
        Standing.Line total = s.lines().get(0);
        Standing.Line worst = s.worst();
        return new Object[] {id, path, rs.id(), s.cycleStart(), s.cycleEnd(), s.status().name(), s.forecast().name(),
                total.measure().name(), total.required(), total.earned(), worst == null ? null : worst.label(),
                worst == null ? null : worst.labelEn(), worst == null ? null : worst.measure().name(),
                worst == null ? null : worst.gap(), (int) s.monthsLeft()};
    }

    private void write(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Object[] params = new Object[15];
        String[] types = {"bigint", "text", "bigint", "date", "date", "text", "text", "text", "numeric", "numeric",
                "text", "text", "text", "numeric", "int"};
        for (int c = 0; c < params.length; c++) {
            int col = c;
            params[c] = rows.stream().map(r -> r[col] == null ? null : r[col].toString()).toArray(String[]::new);
        }
        StringBuilder unnest = new StringBuilder();
        for (String t : types) {
            unnest.append(unnest.isEmpty() ? "" : ", ").append("?::").append(t).append("[]");
        }
        // the rows as they were, locked so that a concurrent change of the same teacher's row waits for this one
        List<ComplianceCounts.Place> before = jdbc.sql("SELECT unit_path, status FROM credit_compliance "
                        + "WHERE teacher_id = ANY(?::bigint[]) ORDER BY teacher_id FOR UPDATE").param(params[0])
                .query(ComplianceCounts.Place.class).list();
        jdbc.sql("""
                        INSERT INTO credit_compliance (teacher_id, unit_path, rule_set_id, cycle_start, cycle_end, status,
                          forecast, measure, required, earned, gap_label, gap_label_en, gap_measure, gap, months_left)
                        SELECT * FROM unnest(""" + unnest + """
                        )
                        ON CONFLICT (teacher_id) DO UPDATE SET unit_path = excluded.unit_path,
                          rule_set_id = excluded.rule_set_id, cycle_start = excluded.cycle_start,
                          cycle_end = excluded.cycle_end, status = excluded.status, forecast = excluded.forecast,
                          measure = excluded.measure, required = excluded.required, earned = excluded.earned,
                          gap_label = excluded.gap_label, gap_label_en = excluded.gap_label_en,
                          gap_measure = excluded.gap_measure, gap = excluded.gap, months_left = excluded.months_left,
                          updated_at = now()""")
                .params(params).update();
        counts.move(before, rows.stream().map(r -> new ComplianceCounts.Place((String) r[1], (String) r[5])).toList());
    }

    /**
     * Recomputes every active teacher's row from the balances, in chunks of their own transactions, and drops the rows
     * of teachers no longer active. Returns how many teachers were judged.
     */
    @Scheduled(cron = "${peiyu.credit.recompute-cron:0 30 1 * * *}", zone = "Asia/Shanghai")
    public long recomputeAll() {
        long n = recompute("/");
        tx.executeWithoutResult(s -> counts.rebuild()); // and the counts exactly, whatever raced during the day
        return n;
    }

    /** Recomputes the rows of the active teachers under a unit. */
    public long recompute(String unitPath) {
        return recompute(unitPath, done -> { });
    }

    /** The same, telling {@code progress} how many teachers are judged so far after each chunk. */
    private long recompute(String unitPath, java.util.function.LongConsumer progress) {
        long started = System.nanoTime();
        OffsetDateTime since = jdbc.sql("SELECT now()").query(OffsetDateTime.class).single();
        long[] done = {0};
        long n = eachChunk(unitPath, paths -> {
            tx.executeWithoutResult(s -> update(paths.keySet(), paths));
            progress.accept(done[0] += paths.size());
        });
        tx.executeWithoutResult(s -> counts.move(jdbc.sql("DELETE FROM credit_compliance WHERE updated_at < ? "
                        + "AND unit_path LIKE ? RETURNING unit_path, status").params(since, Scope.escapeLike(unitPath)
                        + "%").query(ComplianceCounts.Place.class).list(), List.of()));
        log.info("Compliance recomputed for {} teachers under {} in {} ms", n, unitPath,
                (System.nanoTime() - started) / 1_000_000);
        return n;
    }

    /** Hands the active teachers under a unit to {@code chunk} a few thousand at a time; returns how many. */
    private long eachChunk(String unitPath, java.util.function.Consumer<Map<Long, String>> chunk) {
        long after = 0;
        long n = 0;
        for (Map<Long, String> paths; !(paths = teachers.activeAfter(after, CHUNK, unitPath)).isEmpty(); ) {
            chunk.accept(paths);
            n += paths.size();
            after = paths.keySet().stream().reduce((a, b) -> b).orElseThrow();
        }
        return n;
    }

    /** A published rule set's recomputation: running, done or failed, and how far it got. */
    public record RecomputeState(OffsetDateTime startedAt, long expected, long done, OffsetDateTime finishedAt,
                                 boolean failed) {
        public boolean running() {
            return finishedAt == null;
        }

        /** Percent done, at most 99 until finished (the teachers may have grown since it started). */
        public int percent() {
            return finishedAt != null ? 100 : expected == 0 ? 0 : (int) Math.min(99, done * 100 / expected);
        }

        public long seconds() {
            return java.time.Duration.between(startedAt, finishedAt == null ? OffsetDateTime.now() : finishedAt)
                    .toSeconds();
        }
    }

    /**
     * Recomputes in the background every teacher under a just-published rule set's unit, keeping its progress where
     * {@link #recomputeOf} reads it.
     */
    public void startRecompute(RuleSet published) {
        String path = published.unitPath();
        long expected = jdbc.sql("SELECT coalesce(sum(n) FILTER (WHERE unit_path = ?), sum(n) FILTER (WHERE parent_path "
                + "= ?), 0) FROM credit_compliance_count WHERE unit_path = ? OR parent_path = ?")
                .params(path, path, path, path).query(Long.class).single();
        OffsetDateTime started = jdbc.sql("""
                        INSERT INTO credit_recompute (rule_set_id, unit_path, started_at, expected)
                        VALUES (?, ?, clock_timestamp(), ?) ON CONFLICT (rule_set_id) DO UPDATE SET
                          started_at = excluded.started_at, expected = excluded.expected, done = 0, finished_at = NULL,
                          failure = NULL RETURNING started_at""")
                .params(published.id(), path, expected).query(OffsetDateTime.class).single();
        inBackground("credit_recompute", published.id(), started, () -> {
            String sql = "UPDATE credit_recompute SET done = ? WHERE rule_set_id = ? AND started_at = ?";
            long n = recompute(path, done -> jdbc.sql(sql).params(done, published.id(), started).update());
            jdbc.sql("UPDATE credit_recompute SET done = ?, finished_at = now() WHERE rule_set_id = ? "
                    + "AND started_at = ?").params(n, published.id(), started).update();
        });
    }

    /** Runs a rule set's job in the background; a failure is written to its row for the page to show. */
    private void inBackground(String table, long ruleSetId, OffsetDateTime started, Runnable job) {
        executor.execute(() -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                log.warn("{} of rule set {} failed", table, ruleSetId, e);
                jdbc.sql("UPDATE " + table + " SET finished_at = now(), failure = ? WHERE rule_set_id = ? "
                        + "AND started_at = ?").params(e.getClass().getSimpleName(), ruleSetId, started).update();
            }
        });
    }

    /** The recomputation a published rule set started, if any. */
    public java.util.Optional<RecomputeState> recomputeOf(long ruleSetId) {
        return jdbc.sql("SELECT started_at, expected, done, finished_at, failure IS NOT NULL FROM credit_recompute "
                + "WHERE rule_set_id = ?").param(ruleSetId).query((rs, n) -> new RecomputeState(
                rs.getObject(1, OffsetDateTime.class), rs.getLong(2), rs.getLong(3),
                rs.getObject(4, OffsetDateTime.class), rs.getBoolean(5))).optional();
    }

    /** What publishing a draft would do: how many teachers it would judge, and how their status would change. */
    public record Preview(long judged, long changed, Map<Status, Map<Status, Long>> transitions) {
    }

    /** A draft's preview: running (no result yet), done, or failed. */
    public record PreviewState(OffsetDateTime startedAt, Preview preview, boolean failed) {
        public boolean running() {
            return preview == null && !failed;
        }
    }

    /** Starts computing a draft's preview in the background, replacing any earlier one (its result is dropped). */
    public void startPreview(RuleSet draft) {
        OffsetDateTime started = jdbc.sql("""
                        INSERT INTO credit_rule_set_preview (rule_set_id, started_at) VALUES (?, clock_timestamp())
                        ON CONFLICT (rule_set_id) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL,
                          judged = NULL, changed = NULL, transitions = NULL, failure = NULL RETURNING started_at""")
                .param(draft.id()).query(OffsetDateTime.class).single();
        inBackground("credit_rule_set_preview", draft.id(), started, () -> {
            Preview p = preview(draft);
            jdbc.sql("UPDATE credit_rule_set_preview SET finished_at = now(), judged = ?, changed = ?, "
                            + "transitions = CAST(? AS jsonb) WHERE rule_set_id = ? AND started_at = ?")
                    .params(p.judged(), p.changed(), RuleSets.JSON.writeValueAsString(p.transitions()), draft.id(),
                            started).update();
        });
    }

    /** The latest preview of a draft, if one was started. */
    public java.util.Optional<PreviewState> previewOf(long ruleSetId) {
        return jdbc.sql("SELECT started_at, finished_at, judged, changed, transitions::text, failure "
                        + "FROM credit_rule_set_preview WHERE rule_set_id = ?").param(ruleSetId)
                .query((rs, n) -> {
                    Preview p = null;
                    if (rs.getObject(2) != null && rs.getString(6) == null) {
                        Map<Status, Map<Status, Long>> t = new java.util.EnumMap<>(Status.class);
                        RuleSets.JSON.readTree(rs.getString(5)).properties().forEach(from -> from.getValue()
                                .properties().forEach(to -> t.computeIfAbsent(Status.valueOf(from.getKey()),
                                        k -> new java.util.EnumMap<>(Status.class)).put(Status.valueOf(to.getKey()),
                                        to.getValue().asLong())));
                        p = new Preview(rs.getLong(3), rs.getLong(4), t);
                    }
                    return new PreviewState(rs.getObject(1, OffsetDateTime.class), p, rs.getString(6) != null);
                }).optional();
    }

    /** Judges every teacher the draft would judge under it and under today's rules, without writing anything. */
    Preview preview(RuleSet draft) {
        LocalDate today = LocalDate.now(CreditLedger.ZONE);
        Map<Status, Map<Status, Long>> transitions = new java.util.EnumMap<>(Status.class);
        long[] counts = new long[2];
        eachChunk(draft.unitPath(), paths -> {
            Map<Long, List<Standing.Balance>> all = balances.of(paths.keySet());
            paths.forEach((id, path) -> {
                RuleSet next = ruleSets.applicableWith(draft, path, today);
                if (next != draft) {
                    return; // a nearer unit's rule set judges this teacher
                }
                List<Standing.Balance> b = all.getOrDefault(id, List.of());
                Status now = Standing.of(ruleSets.applicable(path, today), b, today).status();
                Status then = Standing.of(draft, b, today).status();
                transitions.computeIfAbsent(now, k -> new java.util.EnumMap<>(Status.class)).merge(then, 1L,
                        Long::sum);
                counts[0]++;
                if (now != then) {
                    counts[1]++;
                }
            });
        });
        return new Preview(counts[0], counts[1], transitions);
    }

    // ---- for admins --------------------------------------------------------------------------------------------

    /** Teachers by status under a unit the admin sees, as a whole and per unit directly below it. */
    public Rates rates(String unitCode, Scope scope) {
        Unit unit = unit(unitCode, scope);
        Map<String, long[]> byUnit = new java.util.TreeMap<>(); // path → teachers, met, on track, at risk, behind
        for (ComplianceCounts.Count c : counts.of(unit.path())) {
            long[] n = byUnit.computeIfAbsent(c.unitPath(), k -> new long[5]);
            n[0] += c.n();
            n[1 + Status.valueOf(c.status()).ordinal()] += c.n();
        }
        long[] own = byUnit.getOrDefault(unit.path(), new long[5]);
        List<Rate> below = new ArrayList<>();
        byUnit.forEach((path, n) -> {
            if (!path.equals(unit.path())) {
                String code = path.substring(path.lastIndexOf('/', path.length() - 2) + 1, path.length() - 1);
                below.add(new Rate(code, tree.unit(code).map(Unit::name).orElse(code), n[0], n[1], n[2], n[3], n[4]));
            }
        });
        return new Rates(unit.path(), unit.name(), new Rate(unit.code(), unit.name(), own[0], own[1], own[2], own[3],
                own[4]), below);
    }

    /**
     * The teachers of the unit {@code of} counts, with a status (all when null), furthest behind first: by status,
     * then by the share of the total earned (the order an index keeps, so a province's first page is quick).
     */
    public Page<Row> list(Rates of, Status status, Scope scope, int page, int size) {
        Scope.Sql s = scope.sql("unit_path", null);
        List<Object> params = new ArrayList<>();
        params.add(Scope.escapeLike(of.unitPath()) + "%");
        params.addAll(s.params());
        String where = " WHERE unit_path LIKE ? AND " + s.clause();
        String order = " ORDER BY " + WORST + ", earned / required, teacher_id";
        if (status != null) {
            where += " AND status = ?";
            params.add(status.name());
            order = " ORDER BY status, earned / required, teacher_id";
        }
        params.add(size);
        params.add((long) (Math.max(1, page) - 1) * size);
        List<Row> rows = jdbc.sql("""
                        SELECT teacher_id, unit_path, status, forecast, measure, required, earned, gap_label,
                          gap_label_en, gap_measure, gap, months_left FROM credit_compliance""" + where + order
                        + " LIMIT ? OFFSET ?")
                .params(params).query((rs, n) -> new Row(rs.getLong(1), null, rs.getString(2),
                        Status.valueOf(rs.getString(3)), Status.valueOf(rs.getString(4)),
                        Measure.valueOf(rs.getString(5)), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getString(8),
                        rs.getString(9), CreditLedger.enumOf(Measure.class, rs.getString(10)), rs.getBigDecimal(11),
                        rs.getInt(12))).list();
        Map<Long, String> names = teachers.names(rows.stream().map(Row::teacherId).toList());
        rows = rows.stream().map(r -> new Row(r.teacherId(), names.get(r.teacherId()), r.unitPath(), r.status(),
                r.forecast(), r.measure(), r.required(), r.earned(), r.gapLabel(), r.gapLabelEn(), r.gapMeasure(),
                r.gap(), r.monthsLeft())).toList();
        return new Page<>(rows, of.whole().count(status), Math.max(1, page), size);
    }

    /** Statuses from furthest behind to met, as the list's index orders them. */
    private static final String WORST = "CASE status WHEN 'BEHIND' THEN 0 WHEN 'AT_RISK' THEN 1 "
            + "WHEN 'ON_TRACK' THEN 2 ELSE 3 END";

    /** How many teachers a reminder reached, and how many had had one within the quiet period. */
    public record Reminded(int sent, int skipped) {
    }

    /**
     * Reminds the teachers under a unit with a status (at risk and behind when null) by in-app notification, with the
     * admin's note; those reminded within a day are skipped.
     */
    @Transactional
    public Reminded remind(String unitCode, Status status, String note, Scope scope, String sender) {
        Unit unit = unit(unitCode, scope);
        String text = note == null || note.isBlank() ? null : note.strip();
        if (text != null && text.length() > 500) {
            throw new BadInputException("note", "credit.error.note");
        }
        Scope.Sql s = scope.sql("unit_path", null);
        List<String> statuses = status == null ? List.of(Status.AT_RISK.name(), Status.BEHIND.name())
                : List.of(status.name());
        int sent = 0;
        int matched = 0;
        long after = 0;
        while (true) {
            List<Object> params = new ArrayList<>();
            params.add(Scope.escapeLike(unit.path()) + "%");
            params.addAll(s.params());
            params.add(statuses.toArray(String[]::new));
            params.add(after);
            List<Long> ids = jdbc.sql("SELECT teacher_id FROM credit_compliance WHERE unit_path LIKE ? AND "
                            + s.clause() + " AND status = ANY(?) AND teacher_id > ? ORDER BY teacher_id LIMIT 10000")
                    .params(params).query(Long.class).list();
            if (ids.isEmpty()) {
                break;
            }
            matched += ids.size();
            sent += notifications.send(ids, "credit.reminder", "credit.reminder.message", text, "/my/credits",
                    sender);
            after = ids.get(ids.size() - 1);
        }
        audit.record("credit.remind", "unit", unit.code(), unit.path(), sent + " of " + matched);
        return new Reminded(sent, matched - sent);
    }

    /** The unit looked at: the given one if the admin sees it, else the admin's first unit. */
    private Unit unit(String unitCode, Scope scope) {
        if (unitCode == null || unitCode.isBlank()) {
            String path = scope.all() ? null : scope.unitPaths().get(0);
            return path == null ? new Unit("", "", "/", null) : tree.unitByPath(path).orElseThrow();
        }
        return tree.unit(unitCode.strip()).filter(u -> scope.covers(u.path()))
                .orElseThrow(() -> new BadInputException("unit", "account.error.unit"));
    }

    /** The unit path of a teacher the user sees (404 for any other). */
    String pathIfVisible(long teacherId, Scope scope) {
        String path = teachers.paths(List.of(teacherId)).get(teacherId);
        if (path == null || !scope.seesTeacher(teacherId, path)) {
            throw new NotFoundException();
        }
        return path;
    }
}
