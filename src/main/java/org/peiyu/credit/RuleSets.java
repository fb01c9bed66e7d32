package org.peiyu.credit;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.peiyu.credit.RuleSet.Measure;
import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rule sets: stored as documents, read and checked here. A teacher is judged by the published rule set of the
 * nearest unit above them that has one in effect (the national default at '/' covers everyone). The national
 * default, Beijing and Shanghai ship as data and are stored on the first start.
 */
@Component
@Order(0) // before the demo, which posts records judged by them
public class RuleSets implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(RuleSets.class);
    static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final List<String> SHIPPED = List.of("national", "beijing", "shanghai");
    private static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(10_000);
    /** What a topic's key looks like, in rule sets and on ledger entries. */
    static final String TOPIC = "[a-z0-9-]{1,40}";

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private volatile List<RuleSet> published;

    RuleSets(JdbcClient jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) throws IOException {
        for (String name : SHIPPED) {
            try (InputStream in = RuleSets.class.getResourceAsStream("/credit/rule-sets/" + name + ".json")) {
                JsonNode doc = JSON.readTree(in);
                String path = doc.path("unitPath").asString();
                parse(doc.path("rules"));
                // stored on the first start; a later release's change to it becomes a new version, unless the
                // jurisdiction's admins have versions of their own since
                Optional<String[]> newest = jdbc.sql("SELECT rules::text, created_by FROM credit_rule_set "
                                + "WHERE unit_path = ? ORDER BY version DESC LIMIT 1").param(path)
                        .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).optional();
                if (newest.isEmpty() || newest.get()[1].equals("system")
                        && !JSON.readTree(newest.get()[0]).equals(doc.path("rules"))) {
                    jdbc.sql("""
                            INSERT INTO credit_rule_set (unit_path, version, name, effective_from, status, rules,
                              provenance, created_by, published_at)
                            SELECT ?, coalesce(max(version), 0) + 1, ?, ?, 'PUBLISHED', CAST(? AS jsonb), ?, 'system',
                              now() FROM credit_rule_set WHERE unit_path = ?""")
                            .params(path, doc.path("name").asString(), LocalDate.parse(doc.path("effectiveFrom")
                                    .asString()), JSON.writeValueAsString(doc.path("rules")),
                                    doc.path("provenance").asString(null), path).update();
                    log.info("Shipped rule set stored and published: {} ({})", doc.path("name").asString(), path);
                }
            }
        }
        published = null;
    }

    /** The rule set a teacher at this unit path is judged by on a day. */
    public RuleSet applicable(String unitPath, LocalDate day) {
        return applicable(published(), unitPath, day);
    }

    /**
     * The key of the topic a value names (its key or label) in the rule set that judges teachers at this unit path
     * today: null when the value is blank; a problem with the field when that rule set has no such topic.
     */
    public String topicKey(String unitPath, String value, String field, BadInputException.Collector errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Optional<RuleSet.Topic> topic = unitPath == null ? Optional.empty()
                : applicable(unitPath, LocalDate.now(CreditLedger.ZONE)).rules().topic(value);
        if (topic.isEmpty()) {
            errors.add(field, "credit.error.topic", value.strip());
        }
        return topic.map(RuleSet.Topic::key).orElse(null);
    }

    /** The rule set that would judge a teacher if a draft were published too. */
    RuleSet applicableWith(RuleSet draft, String unitPath, LocalDate day) {
        List<RuleSet> all = new ArrayList<>(published());
        all.add(draft);
        return applicable(all, unitPath, day);
    }

    /** The nearest unit's rule set in effect that day; of several versions there, the newest. */
    private static RuleSet applicable(List<RuleSet> sets, String unitPath, LocalDate day) {
        return sets.stream()
                .filter(r -> unitPath.startsWith(r.unitPath()) && !r.effectiveFrom().isAfter(day)
                        && (r.effectiveTo() == null || !r.effectiveTo().isBefore(day)))
                .max(Comparator.comparing((RuleSet r) -> r.unitPath().length()).thenComparing(RuleSet::version))
                .orElseThrow(() -> new IllegalStateException("no rule set covers " + unitPath));
    }

    /**
     * The rule sets an admin sees: every version at the units they administer and below, and the published ones above
     * them that their teachers inherit (read only).
     */
    public List<RuleSet> visible(Scope scope) {
        return jdbc.sql(SELECT + " ORDER BY unit_path, version DESC").query(this::row).stream()
                .filter(r -> scope.covers(r.unitPath()) || r.status() == RuleSet.Status.PUBLISHED
                        && (scope.all() || scope.unitPaths().stream().anyMatch(p -> p.startsWith(r.unitPath()))))
                .toList();
    }

    /** A rule set the admin may change: one at a unit they administer. */
    public RuleSet editable(long id, Scope scope) {
        return get(id).filter(r -> scope.covers(r.unitPath())).orElseThrow(NotFoundException::new);
    }

    /**
     * Saves a draft: a new version at the unit (when {@code id} is null) or changes to a draft not yet published. The
     * document is checked field by field; nothing is saved when any is wrong.
     */
    @Transactional
    public long saveDraft(Long id, String unitPath, String name, LocalDate effectiveFrom, JsonNode rules, Scope scope,
                          String by) {
        BadInputException.Collector errors = new BadInputException.Collector();
        if (unitPath == null || !scope.covers(unitPath)) {
            errors.add("unitCode", "account.error.unit");
        }
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > 100) {
            errors.add("name", "credit.rules.error.name");
        }
        if (effectiveFrom == null) {
            errors.add("effectiveFrom", "credit.rules.error.effectiveFrom");
        }
        try {
            parse(rules);
        } catch (BadInputException e) {
            e.problems().forEach(p -> errors.add(p.field(), p.messageKey(), p.args()));
        }
        errors.throwIfAny();
        String doc = JSON.writeValueAsString(rules);
        if (id == null) {
            long created = jdbc.sql("""
                            INSERT INTO credit_rule_set (unit_path, version, name, effective_from, status, rules,
                              created_by)
                            SELECT ?, coalesce(max(version), 0) + 1, ?, ?, 'DRAFT', CAST(? AS jsonb), ?
                            FROM credit_rule_set WHERE unit_path = ? RETURNING id""")
                    .params(unitPath, n, effectiveFrom, doc, by, unitPath).query(Long.class).single();
            audit.record("credit.ruleSet.draft", "credit_rule_set", created, unitPath, n);
            return created;
        }
        RuleSet draft = editable(id, scope);
        if (draft.status() != RuleSet.Status.DRAFT) {
            throw new BadInputException("status", "credit.rules.error.published");
        }
        jdbc.sql("UPDATE credit_rule_set SET name = ?, effective_from = ?, rules = CAST(? AS jsonb) WHERE id = ?")
                .params(n, effectiveFrom, doc, id).update();
        audit.record("credit.ruleSet.draft", "credit_rule_set", id, draft.unitPath(), n);
        return id;
    }

    /** Publishes a draft: from its effective date it judges the teachers below its unit that no nearer one does. */
    @Transactional
    public RuleSet publish(long id, Scope scope) {
        RuleSet draft = editable(id, scope);
        if (draft.status() != RuleSet.Status.DRAFT) {
            throw new BadInputException("status", "credit.rules.error.published");
        }
        jdbc.sql("UPDATE credit_rule_set SET status = 'PUBLISHED', published_at = now() WHERE id = ?").param(id)
                .update();
        audit.record("credit.ruleSet.publish", "credit_rule_set", id, draft.unitPath(), draft.name());
        published = null;
        return get(id).orElseThrow();
    }

    public Optional<RuleSet> get(long id) {
        return jdbc.sql(SELECT + " WHERE id = ?").param(id).query(this::row).optional();
    }

    private List<RuleSet> published() {
        List<RuleSet> p = published;
        if (p == null) {
            p = jdbc.sql(SELECT + " WHERE status = 'PUBLISHED'").query(this::row).list();
            published = p;
        }
        return p;
    }

    private static final String SELECT = "SELECT id, unit_path, version, name, effective_from, effective_to, status, "
            + "rules::text, provenance FROM credit_rule_set";

    private RuleSet row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new RuleSet(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                rs.getObject(5, LocalDate.class), rs.getObject(6, LocalDate.class),
                RuleSet.Status.valueOf(rs.getString(7)), parse(JSON.readTree(rs.getString(8))), rs.getString(9));
    }

    // ---- the document ------------------------------------------------------------------------------------------

    /** Reads and checks a rule set's rules, naming every field in error ("rules.requirements[2].atLeast"). */
    static RuleSet.Rules parse(JsonNode n) {
        BadInputException.Collector errors = new BadInputException.Collector();
        int years = integer(n, "cycleYears", "rules.cycleYears", 1, 10, errors);
        int start = integer(n, "cycleStartYear", "rules.cycleStartYear", 1990, 2100, errors);
        Measure measure = one(n.path("measure"), "rules.measure", Measure::valueOf, errors);
        BigDecimal total = amount(n.path("total"), "rules.total", errors);
        BigDecimal perCredit = amount(n.path("hoursPerCredit"), "rules.hoursPerCredit", errors);
        List<RuleSet.Topic> topics = new ArrayList<>();
        Set<String> topicKeys = new HashSet<>();
        each(n, "topics", (t, path) -> {
            String key = t.path("key").asString("");
            if (!key.matches(TOPIC) || !topicKeys.add(key)) {
                errors.add(path + ".key", "credit.rules.error.key");
            }
            String label = t.path("label").asString("").strip();
            if (label.isEmpty() || label.length() > 60) {
                errors.add(path + ".label", "credit.rules.error.label");
            }
            topics.add(new RuleSet.Topic(key, label, t.path("labelEn").asString(label).strip()));
        });
        Selectors selectors = new Selectors(topicKeys, errors);
        List<RuleSet.Conversion> conversions = new ArrayList<>();
        each(n, "conversions", (c, path) -> conversions.add(new RuleSet.Conversion(selectors.of(c.path("of"),
                path + ".of"), amount(c.path("hoursPerCredit"), path + ".hoursPerCredit", errors))));
        List<RuleSet.Requirement> requirements = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        each(n, "requirements", (r, path) -> {
            String key = r.path("key").asString("");
            if (!key.matches("[a-z0-9-]{1,40}") || key.equals("total") || !keys.add(key)) {
                errors.add(path + ".key", "credit.rules.error.key");
            }
            String label = r.path("label").asString("").strip();
            if (label.isEmpty() || label.length() > 60) {
                errors.add(path + ".label", "credit.rules.error.label");
            }
            requirements.add(new RuleSet.Requirement(key, label, r.path("labelEn").asString(label).strip(),
                    one(r.path("measure"), path + ".measure", Measure::valueOf, errors),
                    selectors.of(r.path("of"), path + ".of"), amount(r.path("atLeast"), path + ".atLeast",
                    errors), r.path("perYear").asBoolean(false)));
        });
        List<RuleSet.Cap> caps = new ArrayList<>();
        each(n, "caps", (c, path) -> caps.add(new RuleSet.Cap(selectors.of(c.path("of"), path + ".of"),
                one(c.path("measure"), path + ".measure", Measure::valueOf, errors),
                amount(c.path("atMost"), path + ".atMost", errors))));
        RuleSet.Approval approval = n.path("applicationApproval").isMissingNode() || n.path("applicationApproval")
                .isNull() ? RuleSet.Approval.DISTRICT
                : one(n.path("applicationApproval"), "rules.applicationApproval", RuleSet.Approval::valueOf, errors);
        errors.throwIfAny();
        return new RuleSet.Rules(years, start, measure, total, perCredit, List.copyOf(conversions),
                List.copyOf(requirements), List.copyOf(caps), approval, List.copyOf(topics));
    }

    private interface Each {
        void accept(JsonNode item, String path);
    }

    private static void each(JsonNode n, String field, Each each) {
        JsonNode list = n.path(field);
        for (int i = 0; i < list.size(); i++) {
            each.accept(list.get(i), "rules." + field + "[" + i + "]");
        }
    }

    private static int integer(JsonNode n, String field, String path, int min, int max,
                               BadInputException.Collector errors) {
        JsonNode v = n.path(field);
        if (!v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            errors.add(path, "credit.rules.error.range", min, max);
            return min;
        }
        return v.asInt();
    }

    private static BigDecimal amount(JsonNode v, String path, BadInputException.Collector errors) {
        if (!v.isNumber() || v.decimalValue().signum() <= 0 || v.decimalValue().compareTo(MAX_AMOUNT) > 0
                || v.decimalValue().stripTrailingZeros().scale() > 2) {
            errors.add(path, "credit.rules.error.amount");
            return BigDecimal.ONE;
        }
        return v.decimalValue();
    }

    private static <E> E one(JsonNode v, String path, Function<String, E> of, BadInputException.Collector errors) {
        try {
            return of.apply(v.asString(""));
        } catch (IllegalArgumentException e) {
            errors.add(path, "credit.rules.error.choice");
            return null;
        }
    }

    /** Reads selectors, whose topics must be among the rule set's own. */
    private record Selectors(Set<String> topics, BadInputException.Collector errors) {
        RuleSet.Selector of(JsonNode n, String path) {
            Set<String> chosen = new HashSet<>();
            for (JsonNode v : n.path("topics")) {
                if (topics.contains(v.asString(""))) {
                    chosen.add(v.asString());
                } else {
                    errors.add(path + ".topics", "credit.rules.error.topic", v.asString(""));
                }
            }
            return new RuleSet.Selector(set(n.path("categories"), path + ".categories", Category.class, errors),
                    set(n.path("levels"), path + ".levels", Level.class, errors),
                    set(n.path("modes"), path + ".modes", Mode.class, errors), Set.copyOf(chosen));
        }
    }

    private static <E extends Enum<E>> Set<E> set(JsonNode list, String path, Class<E> type,
                                                  BadInputException.Collector errors) {
        Set<E> out = EnumSet.noneOf(type);
        for (JsonNode v : list) {
            E e = one(v, path, s -> Enum.valueOf(type, s), errors);
            if (e != null) {
                out.add(e);
            }
        }
        return Set.copyOf(out);
    }
}
