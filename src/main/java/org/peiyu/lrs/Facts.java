package org.peiyu.lrs;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;

import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Kind;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.security.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The facts statements yield under the mapping rules, kept beside the statements and published as events for the
 * ledger and the portrait: drawn as statements arrive, withdrawn when a statement is voided, handed from teacher to
 * teacher when an actor is linked or unlinked, and drawn again over stored statements when an admin re-runs the
 * mapping after changing rules.
 */
@Component
public class Facts {

    private static final Logger log = LoggerFactory.getLogger(Facts.class);
    private static final int CHUNK = 1000;

    /** A re-run of the mapping and how far it got. */
    public record Run(long id, String unitPath, String startedBy, Instant startedAt, long upToSeq, long doneSeq,
                      long statements, long recorded, long withdrawn, Instant finishedAt, String failure) {
        public boolean running() {
            return finishedAt == null;
        }
    }

    /** Hours of one category and level, for a teacher's summary. */
    public record Hours(Category category, Level level, BigDecimal hours, long facts) {
    }

    private final JdbcClient jdbc;
    private final MappingRules rules;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Executor executor;
    private final AuditLog audit;

    Facts(JdbcClient jdbc, MappingRules rules, ApplicationEventPublisher events, TransactionTemplate tx,
          @Qualifier("applicationTaskExecutor") Executor executor, AuditLog audit) {
        this.jdbc = jdbc;
        this.rules = rules;
        this.events = events;
        this.tx = tx;
        this.executor = executor;
        this.audit = audit;
    }

    /** A fact to store: the statement it comes from and what the rule drew. */
    private record New(String tenant, String agentKey, UUID statementId, Instant occurred, MappingRules.Drawn d) {
    }

    // ---- on the write path -----------------------------------------------------------------------------------

    /** Draws and records the facts of statements just stored under a tenant (within their transaction). */
    void draw(List<Statements.Prepared> stored, String tenant) {
        List<New> facts = new ArrayList<>();
        for (Statements.Prepared p : stored) {
            drawInto(facts, tenant, p.actor(), p.id(), p.statement(), p.activity());
        }
        record(facts);
    }

    private void drawInto(List<New> into, String tenant, String agentKey, UUID id, JsonNode statement,
                          String activity) {
        if (agentKey == null || !agentKey.startsWith("Agent|")) { // only a person can be a teacher
            return;
        }
        for (MappingRules.Drawn d : rules.draw(statement, activity, tenant)) {
            into.add(new New(tenant, agentKey, id, Timestamps.parse(statement.path("timestamp").asString()), d));
        }
    }

    private static final String PUBLISHED = """
            SELECT f.id, a.teacher_id, f.kind, f.hours, f.category, f.level, f.object, f.indicator, f.occurred,
              f.statement_id, f.tenant
            FROM f JOIN lrs_actor a ON a.tenant = f.tenant AND a.agent_key = f.agent_key
            WHERE a.teacher_id IS NOT NULL""";

    /** Stores facts and tells the teachers' readers of those whose actor is a known teacher; returns how many. */
    private int record(List<New> facts) {
        if (facts.isEmpty()) {
            return 0;
        }
        List<LearningFact> published = jdbc.sql("""
                        WITH f AS (INSERT INTO lrs_fact (tenant, agent_key, statement_id, rule_id, kind, hours, category,
                          level, object, indicator, occurred)
                        SELECT t, a, s::uuid, r::bigint, k, h::numeric, c, l, o, i::uuid, w::timestamptz
                        FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::text[], ?::text[], ?::text[], ?::text[]) AS x(t, a, s, r, k, h, c, l, o, i, w)
                        RETURNING *)
                        """ + PUBLISHED)
                .params(column(facts, f -> f.tenant()), column(facts, f -> f.agentKey()),
                        column(facts, f -> f.statementId()), column(facts, f -> f.d().ruleId()),
                        column(facts, f -> f.d().kind()), column(facts, f -> f.d().hours()),
                        column(facts, f -> f.d().category()), column(facts, f -> f.d().level()),
                        column(facts, f -> f.d().activity()), column(facts, f -> f.d().indicator()),
                        column(facts, f -> f.occurred()))
                .query(Facts::fact).list();
        if (!published.isEmpty()) {
            events.publishEvent(new LearningFactsRecorded(published));
        }
        return facts.size();
    }

    private static String[] column(List<New> facts, java.util.function.Function<New, Object> f) {
        return facts.stream().map(f).map(v -> v == null ? null : v.toString()).toArray(String[]::new);
    }

    /** Withdraws the facts of voided statements (within the voiding transaction). */
    void voided(List<UUID> statementIds) {
        withdraw("statement_id = ANY(?)", statementIds.toArray(UUID[]::new));
    }

    private int withdraw(String where, Object param) {
        List<LearningFact> published = new ArrayList<>();
        int[] n = {0};
        jdbc.sql("WITH f AS (UPDATE lrs_fact SET withdrawn = now() WHERE withdrawn IS NULL AND " + where
                        + " RETURNING *), c AS (SELECT count(*) AS n FROM f) SELECT (SELECT n FROM c), p.* FROM c "
                        + "LEFT JOIN (" + PUBLISHED + ") p ON TRUE")
                .param(param).query(rs -> {
                    n[0] = rs.getInt(1);
                    if (rs.getObject(2) != null) {
                        published.add(read(rs, 1));
                    }
                });
        if (!published.isEmpty()) {
            events.publishEvent(new LearningFactsWithdrawn(published));
        }
        return n[0];
    }

    /** An actor's teacher changed: their facts leave the old teacher's record and join the new one's. */
    void reassigned(String tenant, String agentKey, Long oldTeacher, Long newTeacher) {
        if (Objects.equals(oldTeacher, newTeacher)) {
            return;
        }
        List<LearningFact> facts = jdbc.sql("""
                SELECT id, 0, kind, hours, category, level, object, indicator, occurred, statement_id, tenant
                FROM lrs_fact WHERE tenant = ? AND agent_key = ? AND withdrawn IS NULL ORDER BY id""")
                .params(tenant, agentKey).query(Facts::fact).list();
        if (facts.isEmpty()) {
            return;
        }
        if (oldTeacher != null) {
            events.publishEvent(new LearningFactsWithdrawn(facts.stream().map(f -> of(f, oldTeacher)).toList()));
        }
        if (newTeacher != null) {
            events.publishEvent(new LearningFactsRecorded(facts.stream().map(f -> of(f, newTeacher)).toList()));
        }
    }

    private static LearningFact of(LearningFact f, long teacher) {
        return new LearningFact(f.id(), teacher, f.kind(), f.hours(), f.category(), f.level(), f.activity(),
                f.indicator(), f.occurred(), f.statementId(), f.tenant());
    }

    private static LearningFact fact(java.sql.ResultSet rs, int rowNum) throws java.sql.SQLException {
        return read(rs, 0);
    }

    /** A fact from columns id, teacher, kind, hours, category, level, object, indicator, occurred, statement, tenant. */
    private static LearningFact read(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        String category = rs.getString(i + 5);
        String level = rs.getString(i + 6);
        return new LearningFact(rs.getLong(i + 1), rs.getLong(i + 2), Kind.valueOf(rs.getString(i + 3)),
                rs.getBigDecimal(i + 4), category == null ? null : Category.valueOf(category),
                level == null ? null : Level.valueOf(level), rs.getString(i + 7), rs.getObject(i + 8, UUID.class),
                rs.getObject(i + 9, java.time.OffsetDateTime.class).toInstant(), rs.getObject(i + 10, UUID.class),
                rs.getString(i + 11));
    }

    // ---- for a teacher ---------------------------------------------------------------------------------------

    /** A teacher's current facts, newest first. */
    public List<LearningFact> ofTeacher(long teacherId, int limit) {
        return jdbc.sql("""
                SELECT f.id, a.teacher_id, f.kind, f.hours, f.category, f.level, f.object, f.indicator, f.occurred,
                  f.statement_id, f.tenant
                FROM lrs_actor a JOIN lrs_fact f ON f.tenant = a.tenant AND f.agent_key = a.agent_key
                WHERE a.teacher_id = ? AND f.withdrawn IS NULL ORDER BY f.occurred DESC, f.id DESC LIMIT ?""")
                .params(teacherId, limit).query(Facts::fact).list();
    }

    /** A teacher's hours from learning platforms by category and level. */
    public List<Hours> hours(long teacherId) {
        return jdbc.sql("""
                SELECT f.category, f.level, sum(f.hours), count(*)
                FROM lrs_actor a JOIN lrs_fact f ON f.tenant = a.tenant AND f.agent_key = a.agent_key
                WHERE a.teacher_id = ? AND f.withdrawn IS NULL AND f.kind = 'HOURS'
                GROUP BY f.category, f.level ORDER BY f.category NULLS LAST, f.level NULLS LAST""")
                .param(teacherId).query((rs, n) -> new Hours(
                        rs.getString(1) == null ? null : Category.valueOf(rs.getString(1)),
                        rs.getString(2) == null ? null : Level.valueOf(rs.getString(2)), rs.getBigDecimal(3),
                        rs.getLong(4))).list();
    }

    // ---- re-running the mapping ------------------------------------------------------------------------------

    private static final String RUN = "SELECT id, unit_path, started_by, started_at, up_to_seq, done_seq, statements, "
            + "recorded, withdrawn, finished_at, failure FROM lrs_mapping_run";

    /**
     * Draws the facts of every statement stored so far under a unit again with today's rules, in the background:
     * facts that still hold are kept, others withdrawn, new ones recorded. Statements stored from now on are drawn
     * with today's rules as they arrive.
     */
    public Run rerun(String unitPath, Scope scope, String who) {
        if (unitPath == null || !scope.covers(unitPath)) {
            throw new org.peiyu.platform.web.BadInputException("unitCode", "account.error.unit");
        }
        long id = tx.execute(s -> {
            long run = jdbc.sql("INSERT INTO lrs_mapping_run (unit_path, started_by, up_to_seq) SELECT ?, ?, "
                    + "last_value FROM xapi_statement_seq RETURNING id").params(unitPath, who).query(Long.class)
                    .single();
            audit.record("lrs.rule.rerun", "lrs_mapping_run", run, unitPath, null);
            return run;
        });
        executor.execute(() -> run(id));
        return run(id, scope);
    }

    public Run run(long id, Scope scope) {
        return jdbc.sql(RUN + " WHERE id = ?").param(id).query(Run.class).optional()
                .filter(r -> scope.covers(r.unitPath())).orElseThrow(org.peiyu.platform.web.NotFoundException::new);
    }

    public List<Run> runs(Scope scope, int limit) {
        Scope.Sql s = scope.sql("unit_path", null);
        List<Object> params = new ArrayList<>(s.params());
        params.add(limit);
        return jdbc.sql(RUN + " WHERE " + s.clause() + " ORDER BY id DESC LIMIT ?").params(params).query(Run.class)
                .list();
    }

    private void run(long id) {
        Run r = jdbc.sql(RUN + " WHERE id = ?").param(id).query(Run.class).single();
        try {
            long done = r.doneSeq();
            while (true) {
                long from = done;
                Long last = tx.execute(s -> chunk(id, r.unitPath(), from, r.upToSeq()));
                if (last == null) {
                    break;
                }
                done = last;
            }
            jdbc.sql("UPDATE lrs_mapping_run SET finished_at = now() WHERE id = ?").param(id).update();
        } catch (RuntimeException e) {
            log.error("Mapping re-run {} failed", id, e);
            jdbc.sql("UPDATE lrs_mapping_run SET finished_at = now(), failure = ? WHERE id = ?")
                    .params(String.valueOf(e.getMessage()), id).update();
        }
    }

    /** One chunk of a re-run in one transaction; the last seq it covered, or null when nothing was left. */
    private Long chunk(long runId, String unitPath, long after, long upTo) {
        Map<UUID, List<New>> wanted = new HashMap<>();
        long[] last = {-1};
        int[] statements = {0};
        // FOR SHARE: a statement being voided meanwhile waits, then withdraws what this chunk drew for it
        jdbc.sql("""
                SELECT seq, id, tenant, actor, activity, voided, statement::text FROM xapi_statement
                WHERE seq > ? AND seq <= ? AND tenant LIKE ? ORDER BY seq LIMIT ? FOR SHARE""")
                .params(after, upTo, Scope.escapeLike(unitPath) + "%", CHUNK).query(rs -> {
                    last[0] = rs.getLong(1);
                    statements[0]++;
                    UUID id = rs.getObject(2, UUID.class);
                    List<New> facts = new ArrayList<>(1);
                    if (!rs.getBoolean(6)) {
                        drawInto(facts, rs.getString(3), rs.getString(4), id, Statements.JSON.readTree(rs.getString(7)),
                                rs.getString(5));
                    }
                    wanted.put(id, facts);
                });
        if (last[0] < 0) {
            return null;
        }
        // what is stored already and still right stays; the rest is withdrawn, and what is missing recorded
        List<Long> stale = new ArrayList<>();
        jdbc.sql("""
                SELECT id, statement_id, rule_id, kind, hours, category, level, object, indicator FROM lrs_fact
                WHERE statement_id = ANY(?) AND withdrawn IS NULL""")
                .param(wanted.keySet().toArray(UUID[]::new)).query(rs -> {
                    MappingRules.Drawn have = new MappingRules.Drawn(rs.getLong(3), Kind.valueOf(rs.getString(4)),
                            rs.getBigDecimal(5), rs.getString(6) == null ? null : Category.valueOf(rs.getString(6)),
                            rs.getString(7) == null ? null : Level.valueOf(rs.getString(7)), rs.getString(8),
                            rs.getObject(9, UUID.class));
                    List<New> want = wanted.get(rs.getObject(2, UUID.class));
                    if (!want.removeIf(n -> same(n.d(), have))) {
                        stale.add(rs.getLong(1));
                    }
                });
        int withdrawn = stale.isEmpty() ? 0 : withdraw("id = ANY(?)", stale.toArray(Long[]::new));
        int recorded = record(wanted.values().stream().flatMap(List::stream).toList());
        jdbc.sql("UPDATE lrs_mapping_run SET done_seq = ?, statements = statements + ?, recorded = recorded + ?, "
                + "withdrawn = withdrawn + ? WHERE id = ?").params(last[0], statements[0], recorded, withdrawn, runId)
                .update();
        return last[0];
    }

    private static boolean same(MappingRules.Drawn a, MappingRules.Drawn b) {
        return a.ruleId() == b.ruleId() && a.kind() == b.kind() && a.category() == b.category()
                && a.level() == b.level() && Objects.equals(a.activity(), b.activity())
                && Objects.equals(a.indicator(), b.indicator())
                && (a.hours() == null ? b.hours() == null : b.hours() != null && a.hours().compareTo(b.hours()) == 0);
    }
}
