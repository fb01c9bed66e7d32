package org.peiyu.assessment;

import java.io.InputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.peiyu.framework.Framework;
import org.peiyu.framework.FrameworkItem;
import org.peiyu.framework.Frameworks;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The item bank and the instruments built from it. */
@Service
public class ItemBank {

    /** Options may leave out "correct" or "score": absent means false or none. */
    static final ObjectMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
    private static final TypeReference<List<AssessmentItem.Option>> OPTIONS = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final Frameworks frameworks;
    private final AuditLog audit;

    ItemBank(JdbcClient jdbc, Frameworks frameworks, AuditLog audit) {
        this.jdbc = jdbc;
        this.frameworks = frameworks;
        this.audit = audit;
    }

    public List<AssessmentItem> items() {
        return jdbc.sql("SELECT id, code, kind, stem, stem_en, options::text, indicators, sample FROM assessment_item "
                + "ORDER BY sample, code").query(ItemBank::item).list();
    }

    /** An instrument with its items in order and their weights. */
    public record Instrument(long id, String title, long frameworkId, boolean sample, List<Scoring.Weighted> items) {
        /** The items in order, without their weights. */
        public List<AssessmentItem> questions() {
            return items.stream().map(Scoring.Weighted::item).toList();
        }
    }

    /** An instrument as listed. */
    public record InstrumentRow(long id, String title, String framework, boolean sample, int items) {
    }

    public List<InstrumentRow> instruments() {
        return jdbc.sql("""
                        SELECT i.id, i.title, f.title || ' ' || f.version AS framework, i.sample,
                               (SELECT count(*) FROM instrument_item x WHERE x.instrument_id = i.id) AS items
                        FROM instrument i JOIN framework f ON f.id = i.framework_id ORDER BY i.created_at DESC""")
                .query(InstrumentRow.class).list();
    }

    public boolean exists(long instrumentId) {
        return jdbc.sql("SELECT count(*) FROM instrument WHERE id = ?").param(instrumentId).query(Long.class)
                .single() > 0;
    }

    public Instrument instrument(long id) {
        var head = jdbc.sql("SELECT title, framework_id, sample FROM instrument WHERE id = ?").param(id)
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getLong(2), rs.getBoolean(3)})
                .optional().orElseThrow(NotFoundException::new);
        List<Scoring.Weighted> items = jdbc.sql("""
                        SELECT a.id, a.code, a.kind, a.stem, a.stem_en, a.options::text, a.indicators, a.sample, x.weight
                        FROM instrument_item x JOIN assessment_item a ON a.id = x.item_id
                        WHERE x.instrument_id = ? ORDER BY x.position""")
                .param(id).query((rs, n) -> new Scoring.Weighted(item(rs, n), rs.getDouble("weight"))).list();
        return new Instrument(id, (String) head[0], (Long) head[1], (Boolean) head[2], items);
    }

    /**
     * Marks a complete answer sheet of an instrument used as a test: the weighted mean of its items' scores (0-100,
     * one decimal). Every item must be answered with its own options, else each wrong item is named.
     */
    public double mark(long instrumentId, Map<Long, List<String>> answers) {
        Instrument instrument = instrument(instrumentId);
        Map<Long, AssessmentItem> items = new java.util.LinkedHashMap<>();
        instrument.questions().forEach(i -> items.put(i.id(), i));
        check(answers, items, true);
        double sum = 0;
        double weights = 0;
        for (Scoring.Weighted w : instrument.items()) {
            sum += w.item().score(answers.get(w.item().id())) * w.weight();
            weights += w.weight();
        }
        return weights == 0 ? 0 : Scoring.round(sum / weights);
    }

    /** Checks answers against the items: known items, keys among their options; all answered if complete. */
    static void check(Map<Long, List<String>> answers, Map<Long, AssessmentItem> items, boolean complete) {
        BadInputException.Collector problems = new BadInputException.Collector();
        for (var e : answers.entrySet()) {
            AssessmentItem item = items.get(e.getKey());
            if (item == null) {
                problems.add("answers", "assessment.error.unknownItem", e.getKey());
            } else if (!item.accepts(e.getValue())) {
                problems.add("answers." + item.code(), "assessment.error.badAnswer", item.code());
            }
        }
        if (complete) {
            items.values().stream().filter(i -> !answers.containsKey(i.id())).findFirst()
                    .ifPresent(i -> problems.add("answers." + i.code(), "assessment.error.unanswered", i.code()));
        }
        problems.throwIfAny();
    }

    /** An answer sheet from form fields q{itemId} → answer keys; anything else named q… is refused. */
    public static Map<Long, List<String>> answers(Map<String, String[]> parameters) {
        Map<Long, List<String>> answers = new java.util.HashMap<>();
        parameters.forEach((name, values) -> {
            if (name.startsWith("q")) {
                try {
                    answers.put(Long.parseLong(name.substring(1)), Arrays.stream(values).filter(v -> !v.isBlank())
                            .distinct().toList());
                } catch (NumberFormatException e) {
                    throw new BadInputException("answers", "assessment.error.unknownItem", name);
                }
            }
        });
        answers.values().removeIf(List::isEmpty);
        return answers;
    }

    /** Adds an item; its indicators are codes of the given framework version. */
    @Transactional
    public long addItem(String code, AssessmentItem.Kind kind, String stem, String stemEn,
                        List<AssessmentItem.Option> options, long frameworkId, List<String> indicatorCodes,
                        boolean sample, String actor) {
        BadInputException.Collector problems = new BadInputException.Collector();
        if (code == null || !code.matches("[A-Za-z0-9._-]{1,40}")) {
            problems.add("code", "assessment.error.code");
        } else if (jdbc.sql("SELECT count(*) FROM assessment_item WHERE code = ?").param(code).query(Long.class)
                .single() > 0) {
            problems.add("code", "assessment.error.codeExists", code);
        }
        if (kind == null) {
            problems.add("kind", "error.required");
        }
        if (stem == null || stem.isBlank() || stem.length() > 1000) {
            problems.add("stem", "error.required");
        }
        if (options == null || options.size() < 2 || options.stream().map(AssessmentItem.Option::key).distinct()
                .count() != options.size()) {
            problems.add("options", "assessment.error.options");
        } else if (kind == AssessmentItem.Kind.LIKERT || kind == AssessmentItem.Kind.SCENARIO) {
            if (options.stream().anyMatch(o -> o.score() == null || o.score() < 0 || o.score() > 100)) {
                problems.add("options", "assessment.error.optionScores");
            }
        } else if (kind != null && options.stream().noneMatch(AssessmentItem.Option::correct)) {
            problems.add("options", "assessment.error.noKey");
        } else if (kind == AssessmentItem.Kind.SINGLE && options.stream().filter(AssessmentItem.Option::correct)
                .count() > 1) {
            problems.add("options", "assessment.error.oneKey");
        }
        Map<String, UUID> codes = frameworks.items(frameworkId).stream()
                .collect(Collectors.toMap(FrameworkItem::code, FrameworkItem::identifier));
        List<UUID> indicators = new ArrayList<>();
        for (String c : indicatorCodes == null ? List.<String>of() : indicatorCodes) {
            UUID id = codes.get(c.strip());
            if (id == null) {
                problems.add("indicators", "framework.error.unknownCode", c);
            } else {
                indicators.add(id);
            }
        }
        if (indicators.isEmpty() && problems.isEmpty()) {
            problems.add("indicators", "error.required");
        }
        problems.throwIfAny();
        long id = jdbc.sql("""
                        INSERT INTO assessment_item (code, kind, stem, stem_en, options, indicators, sample, created_by)
                        VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?) RETURNING id""")
                .params(code, kind.name(), stem.strip(), stemEn, JSON.writeValueAsString(options),
                        indicators.toArray(UUID[]::new), sample, actor)
                .query(Long.class).single();
        audit.record(null, actor, "assessment.item.create", "assessment_item", id, null, code);
        return id;
    }

    /** Builds an instrument from items of the bank, with weights (1 when not given). */
    @Transactional
    public long addInstrument(String title, long frameworkId, List<Long> itemIds, Map<Long, Double> weights,
                              boolean sample, String actor) {
        BadInputException.Collector problems = new BadInputException.Collector();
        if (title == null || title.isBlank() || title.length() > 200) {
            problems.add("title", "error.required");
        }
        if (itemIds == null || itemIds.isEmpty()) {
            problems.add("items", "assessment.error.noItems");
        }
        if (weights.values().stream().anyMatch(w -> w == null || w <= 0 || w > 100)) {
            problems.add("weights", "assessment.error.weight");
        }
        problems.throwIfAny();
        Framework framework = frameworks.get(frameworkId);
        long id = jdbc.sql("INSERT INTO instrument (title, framework_id, sample, created_by) VALUES (?, ?, ?, ?) "
                        + "RETURNING id")
                .params(title.strip(), framework.id(), sample, actor).query(Long.class).single();
        List<Long> known = jdbc.sql("SELECT id FROM assessment_item WHERE id = ANY(?)")
                .param(itemIds.toArray(Long[]::new)).query(Long.class).list();
        itemIds.stream().filter(i -> !known.contains(i)).findFirst().ifPresent(unknown -> {
            throw new BadInputException("items", "assessment.error.unknownItem", unknown);
        });
        int position = 0;
        for (Long itemId : itemIds) {
            jdbc.sql("INSERT INTO instrument_item (instrument_id, item_id, position, weight) VALUES (?, ?, ?, ?)")
                    .params(id, itemId, position++, weights.getOrDefault(itemId, 1.0)).update();
        }
        audit.record(null, actor, "assessment.instrument.create", "instrument", id, null, title);
        return id;
    }

    /** Loads the sample bank shipped with the platform and an instrument of all its items, once. */
    @Transactional
    public void seedSample(InputStream bank) {
        if (jdbc.sql("SELECT count(*) FROM assessment_item WHERE sample").query(Long.class).single() > 0) {
            return;
        }
        JsonNode root = JSON.readTree(bank);
        Framework framework = frameworks.published(root.path("framework").asString()).orElseThrow();
        List<Long> ids = new ArrayList<>();
        for (JsonNode n : root.path("items")) {
            List<AssessmentItem.Option> options = JSON.convertValue(n.path("options"), OPTIONS);
            List<String> indicators = new ArrayList<>();
            n.path("indicators").forEach(i -> indicators.add(i.asString()));
            ids.add(addItem(n.path("code").asString(), AssessmentItem.Kind.valueOf(n.path("kind").asString()),
                    n.path("stem").asString(), n.path("stemEn").asString(), options, framework.id(), indicators,
                    true, "system"));
        }
        addInstrument(root.path("instrumentTitle").asString(), framework.id(), ids, Map.of(), true, "system");
    }

    static AssessmentItem item(ResultSet rs, int n) throws SQLException {
        return new AssessmentItem(rs.getLong("id"), rs.getString("code"),
                AssessmentItem.Kind.valueOf(rs.getString("kind")), rs.getString("stem"), rs.getString("stem_en"),
                JSON.readValue(rs.getString("options"), OPTIONS),
                Arrays.asList((UUID[]) rs.getArray("indicators").getArray()), rs.getBoolean("sample"));
    }
}
