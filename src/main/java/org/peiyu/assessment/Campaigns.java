package org.peiyu.assessment;

import java.io.OutputStream;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.SchoolType;
import org.peiyu.directory.Teachers;
import org.peiyu.directory.Unit;
import org.peiyu.framework.FrameworkItem;
import org.peiyu.framework.Frameworks;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;

/**
 * Assessment campaigns: launched for a population and a window, answered (saved, resumed, submitted once) by each
 * teacher, scored at submission, and reported to the admins of every unit inside it.
 */
@Service
public class Campaigns {

    static final List<Scoring.Level> DEFAULT_LEVELS = List.of(new Scoring.Level("NEEDS_IMPROVEMENT", 0),
            new Scoring.Level("PASS", 60), new Scoring.Level("GOOD", 75), new Scoring.Level("EXCELLENT", 90));
    private static final TypeReference<List<Scoring.Level>> LEVELS = new TypeReference<>() { };
    private static final TypeReference<Map<String, List<String>>> ANSWERS = new TypeReference<>() { };
    private static final TypeReference<Map<String, Double>> WEIGHTS = new TypeReference<>() { };
    private static final int BATCH = 1000;

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final ItemBank bank;
    private final Frameworks frameworks;
    private final Teachers teachers;
    private final DirectoryTree tree;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final MessageSource messages;

    Campaigns(JdbcClient jdbc, JdbcTemplate jdbcTemplate, ItemBank bank, Frameworks frameworks, Teachers teachers,
              DirectoryTree tree, AuditLog audit, ApplicationEventPublisher events, MessageSource messages) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.bank = bank;
        this.frameworks = frameworks;
        this.teachers = teachers;
        this.tree = tree;
        this.audit = audit;
        this.events = events;
        this.messages = messages;
    }

    /** What an admin fills in to launch a campaign. Cut scores are the lowest totals of 合格, 良好 and 优秀. */
    public record Form(String title, Long instrumentId, String unitCode, List<SchoolType> schoolTypes, String subject,
                       LocalDateTime opensAt, LocalDateTime closesAt, Double passMin, Double goodMin,
                       Double excellentMin) {
    }

    /** A campaign as its admins see it; {@code submitted} is -1 where it was not counted. */
    public record Campaign(long id, String title, long instrumentId, String instrumentTitle, String unitPath,
                           String[] schoolTypes, String subject, OffsetDateTime opensAt, OffsetDateTime closesAt,
                           String levels, String passLevel, int participants, long submitted) {

        public boolean open(OffsetDateTime now) {
            return !now.isBefore(opensAt) && now.isBefore(closesAt);
        }

        List<Scoring.Level> levelList() {
            return ItemBank.JSON.readValue(levels, LEVELS);
        }
    }

    private static final String CAMPAIGN_COLUMNS = """
            c.id, c.title, c.instrument_id, i.title AS instrument_title, c.unit_path, c.school_types, c.subject,
            c.opens_at, c.closes_at, c.levels::text AS levels, c.pass_level, c.participants""";
    private static final String SUBMITTED = """
            , (SELECT count(*) FROM assessment_response r WHERE r.campaign_id = c.id AND r.submitted_at IS NOT NULL)
              AS submitted""";

    /** Launches a campaign: fixes its population (active teachers under the unit, filtered) at this moment. */
    @Transactional
    public long launch(Form f, Scope scope, String actor) {
        BadInputException.Collector problems = new BadInputException.Collector();
        String title = f.title() == null ? null : f.title().strip();
        if (title == null || title.isEmpty() || title.length() > 200) {
            problems.add("title", "error.required");
        }
        if (f.instrumentId() == null) {
            problems.add("instrumentId", "error.required");
        }
        Unit unit = f.unitCode() == null ? null : tree.unit(f.unitCode().strip()).filter(u -> scope.covers(u.path()))
                .orElse(null);
        if (unit == null) {
            problems.add("unitCode", "account.error.unit");
        }
        if (f.opensAt() == null) {
            problems.add("opensAt", "error.required");
        }
        if (f.closesAt() == null) {
            problems.add("closesAt", "error.required");
        } else if (f.opensAt() != null && !f.closesAt().isAfter(f.opensAt())) {
            problems.add("closesAt", "assessment.error.window");
        }
        double pass = f.passMin() == null ? 60 : f.passMin();
        double good = f.goodMin() == null ? 75 : f.goodMin();
        double excellent = f.excellentMin() == null ? 90 : f.excellentMin();
        if (!(0 < pass && pass < good && good < excellent && excellent <= 100)) {
            problems.add("passMin", "assessment.error.cuts");
        }
        problems.throwIfAny();
        ItemBank.Instrument instrument = bank.instrument(f.instrumentId());
        List<Scoring.Level> levels = List.of(new Scoring.Level("NEEDS_IMPROVEMENT", 0), new Scoring.Level("PASS", pass),
                new Scoring.Level("GOOD", good), new Scoring.Level("EXCELLENT", excellent));
        ZoneId zone = ZoneId.systemDefault();
        long id = jdbc.sql("""
                        INSERT INTO campaign (title, instrument_id, unit_path, school_types, subject, opens_at, closes_at,
                          levels, pass_level, created_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), 'PASS', ?) RETURNING id""")
                .params(title, instrument.id(), unit.path(),
                        (f.schoolTypes() == null ? List.<SchoolType>of() : f.schoolTypes()).stream().map(Enum::name)
                                .toArray(String[]::new),
                        f.subject() == null || f.subject().isBlank() ? null : f.subject().strip(),
                        f.opensAt().atZone(zone).toOffsetDateTime(), f.closesAt().atZone(zone).toOffsetDateTime(),
                        ItemBank.JSON.writeValueAsString(levels), actor)
                .query(Long.class).single();
        List<Object[]> batch = new ArrayList<>();
        int[] count = {0};
        teachers.population(unit.path(), f.schoolTypes(), f.subject(), scope, m -> {
            batch.add(new Object[] {id, m.teacherId(), m.name(), m.path(), m.schoolId(), m.schoolName(),
                    m.schoolType().name(), m.areaClass().name(), m.subjects().length == 0 ? null : m.subjects()[0],
                    m.title() == null ? null : m.title().name(), m.ageBand().name()});
            count[0]++;
            if (batch.size() >= BATCH) {
                insertParticipants(batch);
            }
        });
        insertParticipants(batch);
        jdbc.sql("UPDATE campaign SET participants = ? WHERE id = ?").params(count[0], id).update();
        audit.record(null, actor, "campaign.launch", "campaign", id, unit.path(), title + ": " + count[0] + " teachers");
        return id;
    }

    private void insertParticipants(List<Object[]> batch) {
        if (!batch.isEmpty()) {
            jdbcTemplate.batchUpdate("""
                    INSERT INTO campaign_participant (campaign_id, teacher_id, name, path, school_id, school_name,
                      school_type, area_class, subject, title, age_band) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    batch);
            batch.clear();
        }
    }

    /** Campaigns an admin may see: those launched inside their scope, and those whose population includes it. */
    public List<Campaign> list(Scope scope) {
        List<Object> params = new ArrayList<>();
        String where;
        if (scope.all()) {
            where = "TRUE";
        } else {
            List<String> parts = new ArrayList<>();
            for (String p : scope.unitPaths()) {
                parts.add("(c.unit_path LIKE ? OR ? LIKE c.unit_path || '%')");
                params.add(Scope.escapeLike(p) + "%");
                params.add(p);
            }
            where = parts.isEmpty() ? "FALSE" : String.join(" OR ", parts);
        }
        return jdbc.sql("SELECT " + CAMPAIGN_COLUMNS + SUBMITTED + " FROM campaign c JOIN instrument i "
                        + "ON i.id = c.instrument_id WHERE " + where + " ORDER BY c.created_at DESC")
                .params(params).query(Campaigns::campaign).list();
    }

    public Campaign get(long id, Scope scope) {
        return list(scope).stream().filter(c -> c.id() == id).findFirst().orElseThrow(NotFoundException::new);
    }

    /** The campaign if the scope may see it, without counting its responses. */
    private Campaign visible(long id, Scope scope) {
        Campaign c = campaign(id);
        if (!scope.all() && scope.unitPaths().stream().noneMatch(p -> p.startsWith(c.unitPath())
                || c.unitPath().startsWith(p))) {
            throw new NotFoundException();
        }
        return c;
    }

    private Campaign campaign(long id) {
        return jdbc.sql("SELECT " + CAMPAIGN_COLUMNS + ", -1 AS submitted FROM campaign c JOIN instrument i "
                + "ON i.id = c.instrument_id WHERE c.id = ?").param(id).query(Campaigns::campaign).optional().orElseThrow(NotFoundException::new);
    }

    // ---- the teacher's side ----------------------------------------------------------------------------------

    /** A campaign on a teacher's list, with where they are in it. */
    public record Mine(long campaignId, String title, OffsetDateTime opensAt, OffsetDateTime closesAt, boolean open,
                       boolean started, boolean submitted, Double total, String level) {
    }

    public List<Mine> mine(long teacherId) {
        OffsetDateTime now = OffsetDateTime.now();
        return jdbc.sql("""
                        SELECT c.id, c.title, c.opens_at, c.closes_at, r.saved_at IS NOT NULL AS started,
                               r.submitted_at IS NOT NULL AS submitted, res.total, res.level
                        FROM campaign_participant p JOIN campaign c ON c.id = p.campaign_id
                        LEFT JOIN assessment_response r ON r.campaign_id = c.id AND r.teacher_id = p.teacher_id
                        LEFT JOIN assessment_result res ON res.campaign_id = c.id AND res.teacher_id = p.teacher_id
                        WHERE p.teacher_id = ? ORDER BY c.closes_at DESC""")
                .param(teacherId)
                .query((rs, n) -> {
                    OffsetDateTime opens = rs.getObject("opens_at", OffsetDateTime.class);
                    OffsetDateTime closes = rs.getObject("closes_at", OffsetDateTime.class);
                    return new Mine(rs.getLong("id"), rs.getString("title"), opens, closes,
                            !now.isBefore(opens) && now.isBefore(closes), rs.getBoolean("started"),
                            rs.getBoolean("submitted"),
                            rs.getBigDecimal("total") == null ? null : rs.getBigDecimal("total").doubleValue(),
                            rs.getString("level"));
                })
                .list();
    }

    /** The questions of a campaign with what the teacher has saved so far. */
    public record Sheet(Campaign campaign, List<AssessmentItem> items, Map<Long, List<String>> answers,
                        OffsetDateTime savedAt, boolean submitted) {
    }

    public Sheet sheet(long campaignId, long teacherId) {
        requireParticipant(campaignId, teacherId);
        Campaign c = campaign(campaignId);
        var saved = jdbc.sql("SELECT answers::text, saved_at, submitted_at FROM assessment_response "
                        + "WHERE campaign_id = ? AND teacher_id = ?")
                .params(campaignId, teacherId)
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getObject(2, OffsetDateTime.class),
                        rs.getObject(3, OffsetDateTime.class)})
                .optional();
        Map<Long, List<String>> answers = saved.map(s -> parseAnswers((String) s[0])).orElse(Map.of());
        return new Sheet(c, bank.instrument(c.instrumentId()).questions(),
                answers, saved.map(s -> (OffsetDateTime) s[1]).orElse(null), saved.map(s -> s[2] != null).orElse(false));
    }

    /** Saves answers so far; any subset, each one checked against its item. */
    @Transactional
    public OffsetDateTime save(long campaignId, long teacherId, Map<Long, List<String>> answers) {
        Campaign c = writable(campaignId, teacherId);
        Map<Long, AssessmentItem> items = items(c);
        ItemBank.check(answers, items, false);
        return jdbc.sql("""
                        INSERT INTO assessment_response (campaign_id, teacher_id, answers) VALUES (?, ?, CAST(? AS jsonb))
                        ON CONFLICT (campaign_id, teacher_id) DO UPDATE SET answers = EXCLUDED.answers, saved_at = now()
                        RETURNING saved_at""")
                .params(campaignId, teacherId, ItemBank.JSON.writeValueAsString(answers))
                .query(OffsetDateTime.class).single();
    }

    /** Submits once: every item answered; scores the response and publishes the result. */
    @Transactional
    public Result submit(long campaignId, long teacherId, Map<Long, List<String>> answers) {
        Campaign c = writable(campaignId, teacherId);
        Map<Long, AssessmentItem> items = items(c);
        ItemBank.check(answers, items, true);
        jdbc.sql("""
                INSERT INTO assessment_response (campaign_id, teacher_id, answers, submitted_at)
                VALUES (?, ?, CAST(? AS jsonb), now())
                ON CONFLICT (campaign_id, teacher_id) DO UPDATE SET answers = EXCLUDED.answers, saved_at = now(),
                  submitted_at = now()""")
                .params(campaignId, teacherId, ItemBank.JSON.writeValueAsString(answers)).update();
        Scorer scorer = scorer(c);
        Scoring.Result r = scorer.score(answers);
        List<Object[]> row = new ArrayList<>();
        row.add(scorer.row(campaignId, teacherId, r));
        writeResults(row);
        events.publishEvent(new AssessmentScored(teacherId, campaignId, "assessment:" + campaignId, r.scores(),
                r.total(), r.level(), OffsetDateTime.now()));
        audit.record("assessment.submit", "campaign", campaignId, pathOf(campaignId, teacherId), null);
        return result(campaignId, teacherId);
    }

    private String pathOf(long campaignId, long teacherId) {
        return jdbc.sql("SELECT path FROM campaign_participant WHERE campaign_id = ? AND teacher_id = ?")
                .params(campaignId, teacherId).query(String.class).single();
    }

    private void requireParticipant(long campaignId, long teacherId) {
        if (jdbc.sql("SELECT count(*) FROM campaign_participant WHERE campaign_id = ? AND teacher_id = ?")
                .params(campaignId, teacherId).query(Long.class).single() == 0) {
            throw new NotFoundException();
        }
    }

    private Campaign writable(long campaignId, long teacherId) {
        requireParticipant(campaignId, teacherId);
        Campaign c = campaign(campaignId);
        OffsetDateTime now = OffsetDateTime.now();
        if (now.isBefore(c.opensAt())) {
            throw new BadInputException("campaign", "assessment.error.notOpen");
        }
        if (!now.isBefore(c.closesAt())) {
            throw new BadInputException("campaign", "assessment.error.closed");
        }
        if (jdbc.sql("SELECT count(*) FROM assessment_response WHERE campaign_id = ? AND teacher_id = ? "
                + "AND submitted_at IS NOT NULL").params(campaignId, teacherId).query(Long.class).single() > 0) {
            throw new BadInputException("campaign", "assessment.error.submitted");
        }
        return c;
    }

    private Map<Long, AssessmentItem> items(Campaign c) {
        Map<Long, AssessmentItem> items = new LinkedHashMap<>();
        scorer(c).items.forEach(w -> items.put(w.item().id(), w.item()));
        return items;
    }

    /** Instruments, framework versions and a launched campaign's levels never change: read them once. */
    private final Map<Long, Scorer> scorers = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Scorer> eldest) {
                    return size() > 64;
                }
            });

    private Scorer scorer(Campaign c) {
        return scorers.computeIfAbsent(c.id(), k -> new Scorer(c));
    }

    static Map<Long, List<String>> parseAnswers(String json) {
        Map<Long, List<String>> out = new HashMap<>();
        ItemBank.JSON.readValue(json, ANSWERS).forEach((k, v) -> out.put(Long.parseLong(k), v));
        return out;
    }

    /** Everything needed to score the responses of one campaign, read once. */
    private final class Scorer {
        final List<Scoring.Weighted> items;
        final List<FrameworkItem> frameworkItems;
        final List<Scoring.Level> levels;
        final String passLevel;
        final Map<String, Double> dimensionWeights;

        Scorer(Campaign c) {
            ItemBank.Instrument instrument = bank.instrument(c.instrumentId());
            this.items = instrument.items();
            this.frameworkItems = frameworks.items(instrument.frameworkId());
            this.levels = c.levelList();
            this.passLevel = c.passLevel();
            this.dimensionWeights = ItemBank.JSON.readValue(jdbc.sql("SELECT dimension_weights::text FROM campaign "
                    + "WHERE id = ?").param(c.id()).query(String.class).single(), WEIGHTS);
        }

        Scoring.Result score(Map<Long, List<String>> answers) {
            return Scoring.score(items, frameworkItems, answers, levels, passLevel, dimensionWeights);
        }

        Object[] row(long campaignId, long teacherId, Scoring.Result r) {
            Double[] dims = frameworkItems.stream().filter(i -> i.parentId() == null)
                    .map(i -> r.scores().get(i.identifier())).toArray(Double[]::new);
            Map<String, Object> explanation = new LinkedHashMap<>();
            r.explanation().forEach((indicator, evidence) -> explanation.put(indicator.toString(), evidence.stream()
                    .map(e -> List.of(e.item(), e.answer(), e.score(), e.weight())).toList()));
            return new Object[] {campaignId, teacherId, r.total(), r.level(), r.passed(), dims,
                    ItemBank.JSON.writeValueAsString(r.scores()), ItemBank.JSON.writeValueAsString(explanation)};
        }
    }

    /** Writes results: the details, and the figures the campaign's report reads onto the participant's row. */
    private void writeResults(List<Object[]> rows) {
        jdbcTemplate.batchUpdate("""
                INSERT INTO assessment_result (campaign_id, teacher_id, total, level, passed, scores, explanation)
                VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb))
                ON CONFLICT (campaign_id, teacher_id) DO UPDATE SET total = EXCLUDED.total, level = EXCLUDED.level,
                  passed = EXCLUDED.passed, scores = EXCLUDED.scores, explanation = EXCLUDED.explanation,
                  scored_at = now()""", rows, rows.size(), (ps, r) -> {
                    for (int i = 0; i < 5; i++) {
                        ps.setObject(i + 1, r[i]);
                    }
                    ps.setObject(6, r[6]);
                    ps.setObject(7, r[7]);
                });
        jdbcTemplate.batchUpdate("""
                UPDATE campaign_participant SET total = ?, level = ?, passed = ?, dimensions = ?
                WHERE campaign_id = ? AND teacher_id = ?""", rows, rows.size(), (ps, r) -> {
                    ps.setObject(1, r[2]);
                    ps.setObject(2, r[3]);
                    ps.setObject(3, r[4]);
                    ps.setArray(4, ps.getConnection().createArrayOf("numeric", (Double[]) r[5]));
                    ps.setObject(5, r[0]);
                    ps.setObject(6, r[1]);
                });
    }

    /**
     * Scores every submitted response of a campaign again (after a correction of keys or weights), streaming the
     * responses and writing results in batches. Returns how many were scored.
     */
    @Transactional
    public int rescore(long campaignId) {
        Scorer scorer = scorer(campaign(campaignId));
        List<Object[]> batch = new ArrayList<>();
        List<AssessmentScored> scored = new ArrayList<>();
        int[] count = {0};
        OffsetDateTime now = OffsetDateTime.now();
        jdbc.sql("SELECT teacher_id, answers::text FROM assessment_response WHERE campaign_id = ? "
                        + "AND submitted_at IS NOT NULL")
                .param(campaignId)
                .query((RowCallbackHandler) rs -> {
                    long teacherId = rs.getLong(1);
                    Scoring.Result r = scorer.score(parseAnswers(rs.getString(2)));
                    batch.add(scorer.row(campaignId, teacherId, r));
                    scored.add(new AssessmentScored(teacherId, campaignId, "assessment:" + campaignId, r.scores(),
                            r.total(), r.level(), now));
                    count[0]++;
                    if (batch.size() >= BATCH) {
                        writeResults(batch);
                        batch.clear();
                        scored.forEach(events::publishEvent);
                        scored.clear();
                    }
                });
        if (!batch.isEmpty()) {
            writeResults(batch);
            scored.forEach(events::publishEvent);
        }
        return count[0];
    }

    // ---- results ---------------------------------------------------------------------------------------------

    /** A teacher's scored result with the reasons for every indicator score. */
    public record Result(long campaignId, String campaignTitle, double total, String level, boolean passed,
                         Map<UUID, Double> scores, Map<UUID, List<List<Object>>> explanation, long frameworkId) {
    }

    public Result result(long campaignId, long teacherId) {
        requireParticipant(campaignId, teacherId);
        Campaign c = campaign(campaignId);
        long frameworkId = bank.instrument(c.instrumentId()).frameworkId();
        return jdbc.sql("SELECT total, level, passed, scores::text, explanation::text FROM assessment_result "
                        + "WHERE campaign_id = ? AND teacher_id = ?")
                .params(campaignId, teacherId)
                .query((rs, n) -> new Result(campaignId, c.title(), rs.getDouble(1), rs.getString(2), rs.getBoolean(3),
                        ItemBank.JSON.readValue(rs.getString(4), new TypeReference<Map<UUID, Double>>() { }),
                        ItemBank.JSON.readValue(rs.getString(5), new TypeReference<Map<UUID, List<List<Object>>>>() { }),
                        frameworkId))
                .optional().orElseThrow(NotFoundException::new);
    }

    /** Every scored result of a teacher, newest first: the public view of assessment evidence per teacher. */
    public List<AssessmentScored> resultsOf(long teacherId) {
        return jdbc.sql("SELECT campaign_id, total, level, scores::text, scored_at FROM assessment_result "
                        + "WHERE teacher_id = ? ORDER BY scored_at DESC")
                .param(teacherId)
                .query((rs, n) -> new AssessmentScored(teacherId, rs.getLong(1), "assessment:" + rs.getLong(1),
                        ItemBank.JSON.readValue(rs.getString(4), new TypeReference<Map<UUID, Double>>() { }),
                        rs.getDouble(2), rs.getString(3), rs.getObject(5, OffsetDateTime.class)))
                .list();
    }

    // ---- dashboards ------------------------------------------------------------------------------------------

    /** What a breakdown groups by. */
    public enum By { UNIT, SCHOOL, SUBJECT, TITLE, AGE_BAND, AREA_CLASS }

    /** One row of a breakdown, or the totals. */
    public record Figures(String key, String label, long participants, long submitted, long passed, Double average) {
        public double completionRate() {
            return participants == 0 ? 0 : submitted * 100.0 / participants;
        }

        public double passRate() {
            return submitted == 0 ? 0 : passed * 100.0 / submitted;
        }
    }

    public record Dashboard(Campaign campaign, String unitPath, String unitName, Figures totals,
                            Map<String, Long> levels, List<Map.Entry<FrameworkItem, Double>> dimensions, By by,
                            List<Figures> rows) {
    }

    /**
     * The campaign's figures for the part of its population the viewer may see, under {@code unitCode} when given
     * (drill-down), broken down by {@code by}.
     */
    public Dashboard dashboard(long campaignId, Scope scope, String unitCode, By by) {
        Campaign c = visible(campaignId, scope);
        String unitPath = c.unitPath();
        String unitName = tree.unitByPath(unitPath).map(Unit::name).orElse(unitPath);
        if (unitCode != null && !unitCode.isBlank()) {
            Unit u = tree.unit(unitCode.strip()).filter(x -> x.path().startsWith(c.unitPath()))
                    .orElseThrow(() -> new BadInputException("unit", "account.error.unit"));
            unitPath = u.path();
            unitName = u.name();
        }
        Scope.Sql s = scope.sql("p.path", null);
        List<Object> params = new ArrayList<>();
        params.add(campaignId);
        params.add(Scope.escapeLike(unitPath) + "%");
        params.addAll(s.params());
        String key = switch (by) {
            case UNIT -> "split_part(substr(p.path, " + (unitPath.length() + 1) + "), '/', 1)";
            case SCHOOL -> "p.school_id::text";
            case SUBJECT -> "COALESCE(p.subject, '')";
            case TITLE -> "COALESCE(p.title, '')";
            case AGE_BAND -> "p.age_band";
            case AREA_CLASS -> "p.area_class";
        };
        List<Scoring.Level> levelList = c.levelList();
        List<FrameworkItem> dims = frameworks.items(bank.instrument(c.instrumentId()).frameworkId()).stream()
                .filter(i -> i.parentId() == null).toList();
        // one scan of the campaign's report rows: the breakdown and, as the empty grouping set, the totals
        StringBuilder sql = new StringBuilder("SELECT grouping(" + key + ") AS whole, " + key + " AS k, "
                + (by == By.SCHOOL ? "min(p.school_name)" : key) + " AS label, "
                + "count(*), count(p.total), count(*) FILTER (WHERE p.passed), avg(p.total)");
        for (Scoring.Level l : levelList) {
            sql.append(", count(*) FILTER (WHERE p.level = '").append(l.key().replace("'", "")).append("')");
        }
        for (int i = 1; i <= dims.size(); i++) {
            sql.append(", avg(p.dimensions[").append(i).append("])");
        }
        sql.append(" FROM campaign_participant p WHERE p.campaign_id = ? AND p.path LIKE ? AND ").append(s.clause())
                .append(" GROUP BY GROUPING SETS ((), (").append(key).append(")) ORDER BY 1 DESC, 2");
        Map<String, Long> levels = new LinkedHashMap<>();
        levelList.forEach(l -> levels.put(l.key(), 0L));
        List<Map.Entry<FrameworkItem, Double>> dimensions = new ArrayList<>();
        List<Figures> rows = new ArrayList<>();
        Figures[] totals = {new Figures("all", "all", 0, 0, 0, null)};
        jdbc.sql(sql.toString()).params(params).query((RowCallbackHandler) rs -> {
            java.math.BigDecimal avg = rs.getBigDecimal(7);
            Figures f = new Figures(rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                    avg == null ? null : Scoring.round(avg.doubleValue()));
            if (rs.getInt(1) == 1) {
                totals[0] = new Figures("all", "all", f.participants(), f.submitted(), f.passed(), f.average());
                int col = 8;
                for (Scoring.Level l : levelList) {
                    levels.put(l.key(), rs.getLong(col++));
                }
                for (FrameworkItem d : dims) {
                    java.math.BigDecimal v = rs.getBigDecimal(col++);
                    dimensions.add(Map.entry(d, v == null ? 0.0 : Scoring.round(v.doubleValue())));
                }
            } else {
                rows.add(f);
            }
        });
        if (by == By.UNIT) {
            rows.replaceAll(r -> new Figures(r.key(), tree.unit(r.key()).map(Unit::name).orElse(r.key()),
                    r.participants(), r.submitted(), r.passed(), r.average()));
        }
        Figures total = totals[0];
        return new Dashboard(c, unitPath, unitName, total, levels, dimensions, by, rows);
    }

    private static Campaign campaign(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Campaign(rs.getLong("id"), rs.getString("title"), rs.getLong("instrument_id"),
                rs.getString("instrument_title"), rs.getString("unit_path"),
                (String[]) rs.getArray("school_types").getArray(), rs.getString("subject"),
                rs.getObject("opens_at", OffsetDateTime.class), rs.getObject("closes_at", OffsetDateTime.class),
                rs.getString("levels"), rs.getString("pass_level"), rs.getInt("participants"), rs.getLong("submitted"));
    }

    /** Every participant the viewer may see with their result, as .xlsx; audited, names being personal data. */
    public void export(long campaignId, Scope scope, Locale locale, OutputStream out) throws java.io.IOException {
        Campaign c = visible(campaignId, scope);
        Scope.Sql s = scope.sql("p.path", null);
        List<Object> params = new ArrayList<>();
        params.add(campaignId);
        params.addAll(s.params());
        Function<String, String> m = k -> messages.getMessage(k, null, k, locale);
        int[] count = {0};
        try (XlsxExport x = new XlsxExport(out, m.apply("nav.campaigns"), List.of(m.apply("teacher.name"),
                m.apply("teacher.school"), m.apply("teacher.subject"), m.apply("teacher.title"),
                m.apply("teacher.ageBand"), m.apply("school.areaClass"), m.apply("assessment.state"),
                m.apply("assessment.total"), m.apply("assessment.level")))) {
            jdbc.sql("""
                            SELECT p.name, p.school_name, p.subject, p.title, p.age_band, p.area_class, p.total, p.level,
                                   resp.submitted_at IS NOT NULL AS submitted, resp.saved_at IS NOT NULL AS started
                            FROM campaign_participant p
                            LEFT JOIN assessment_response resp ON resp.campaign_id = p.campaign_id
                              AND resp.teacher_id = p.teacher_id
                            WHERE p.campaign_id = ? AND """ + s.clause() + " ORDER BY p.path, p.name")
                    .params(params)
                    .query((RowCallbackHandler) rs -> {
                        String title = rs.getString("title");
                        java.math.BigDecimal total = rs.getBigDecimal("total");
                        x.row(java.util.Arrays.asList(rs.getString("name"), rs.getString("school_name"),
                                rs.getString("subject"), title == null ? null : m.apply("enum.Title." + title),
                                m.apply("enum.AgeBand." + rs.getString("age_band")),
                                m.apply("enum.AreaClass." + rs.getString("area_class")),
                                m.apply(rs.getBoolean("submitted") ? "assessment.submitted"
                                        : rs.getBoolean("started") ? "assessment.started" : "assessment.notStarted"),
                                total, rs.getString("level") == null ? null
                                        : m.apply("assessment.level." + rs.getString("level"))));
                        count[0]++;
                    });
        }
        audit.record("campaign.export", "campaign", campaignId, c.unitPath(), count[0] + " rows");
    }
}
