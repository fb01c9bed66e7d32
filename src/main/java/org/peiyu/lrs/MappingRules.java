package org.peiyu.lrs;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.Unit;
import org.peiyu.framework.Frameworks;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Kind;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;

/**
 * The rules that say what statements mean: by verb, activity type and an extension (present, or with a value), a
 * statement yields hours (fixed, or as the statement says), a resource use or indicator evidence. A rule applies to
 * statements stored under its unit; for each kind of fact the nearest unit's first matching rule wins.
 */
@Service
public class MappingRules {

    public enum HoursFrom { FIXED, STATEMENT }

    public record Rule(long id, String unitPath, int position, String name, String verb, String activityType,
                       String extension, String extensionValue, Kind kind, HoursFrom hoursFrom, BigDecimal hours,
                       BigDecimal maxHours, Category category, Level level, String indicator, boolean enabled,
                       String updatedBy, Instant updatedAt) {
    }

    /** A rule as an admin typed it. */
    public record Draft(String unitCode, Integer position, String name, String verb, String activityType,
                        String extension, String extensionValue, Kind kind, HoursFrom hoursFrom, BigDecimal hours,
                        BigDecimal maxHours, Category category, Level level, String indicator, boolean enabled) {
    }

    /** A fact a statement yields, before it is stored. */
    record Drawn(long ruleId, Kind kind, BigDecimal hours, Category category, Level level, String activity,
                 UUID indicator) {
    }

    private static final long RELOAD_MILLIS = 10_000;
    private static final BigDecimal MAX = new BigDecimal("9999.99");

    private final JdbcClient jdbc;
    private final DirectoryTree tree;
    private final Frameworks frameworks;
    private final Activities activities;
    private final AuditLog audit;

    /** The enabled rules, read again after a change here and every few seconds for changes on other nodes. */
    private volatile List<Rule> enabled;
    private volatile long loadedAt;
    private final Map<String, List<Rule>> byTenant = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Map<String, UUID> indicators;

    MappingRules(JdbcClient jdbc, DirectoryTree tree, Frameworks frameworks, Activities activities, AuditLog audit) {
        this.jdbc = jdbc;
        this.tree = tree;
        this.frameworks = frameworks;
        this.activities = activities;
        this.audit = audit;
    }

    // ---- for admins ------------------------------------------------------------------------------------------

    private static final String COLUMNS = "id, unit_path, position, name, verb, activity_type, extension, "
            + "extension_value, kind, hours_from, hours, max_hours, category, level, indicator, enabled, updated_by, "
            + "updated_at";

    /** The rules that apply in an admin's scope: those above it (read only for them) and those inside it. */
    public List<Rule> list(Scope scope) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM lrs_mapping_rule ORDER BY unit_path, position, id")
                .query(Rule.class).list().stream()
                .filter(r -> scope.covers(r.unitPath()) || scope.unitPaths().stream()
                        .anyMatch(p -> p.startsWith(r.unitPath())))
                .toList();
    }

    public Rule get(long id, Scope scope) {
        return find(id).filter(r -> scope.covers(r.unitPath())).orElseThrow(NotFoundException::new);
    }

    private Optional<Rule> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM lrs_mapping_rule WHERE id = ?").param(id).query(Rule.class)
                .optional();
    }

    /** Adds a rule (id null) or changes one inside the admin's scope; returns its id. */
    @Transactional
    public long save(Long id, Draft d, Scope scope, String who) {
        if (id != null) {
            get(id, scope);
        }
        BadInputException.Collector problems = new BadInputException.Collector();
        String path = unitPath(d.unitCode(), scope);
        if (path == null) {
            problems.add("unitCode", "account.error.unit");
        }
        if (d.name() != null && d.name().strip().length() > 100) {
            problems.add("name", "lrs.error.ruleName");
        }
        if (d.position() == null || d.position() < 1 || d.position() > 9999) {
            problems.add("position", "lrs.error.position");
        }
        iri(d.verb(), true, "verb", problems);
        iri(d.activityType(), false, "activityType", problems);
        iri(d.extension(), false, "extension", problems);
        if (blank(d.extension()) == null && blank(d.extensionValue()) != null) {
            problems.add("extensionValue", "lrs.error.valueWithoutExtension");
        }
        if (d.extensionValue() != null && d.extensionValue().length() > 500) {
            problems.add("extensionValue", "lrs.error.tooLong");
        }
        if (d.kind() == null) {
            problems.add("fact", "error.required");
        }
        if (d.kind() == Kind.HOURS) {
            if (d.hoursFrom() == null) {
                problems.add("hoursFrom", "error.required");
            }
            if (d.hoursFrom() == HoursFrom.FIXED && !positive(d.hours())) {
                problems.add("hours", "lrs.error.hours");
            }
        }
        if (d.hours() != null && !positive(d.hours())) {
            problems.add("hours", "lrs.error.hours");
        }
        if (d.maxHours() != null && !positive(d.maxHours())) {
            problems.add("maxHours", "lrs.error.hours");
        }
        String indicator = blank(d.indicator());
        if (indicator != null && indicator(indicator).isEmpty()) {
            problems.add("indicator", "lrs.error.indicator", indicator);
        }
        problems.throwIfAny();
        boolean hours = d.kind() == Kind.HOURS;
        Object[] values = {path, d.position(), blank(d.name()), d.verb().strip(), blank(d.activityType()),
                blank(d.extension()), blank(d.extensionValue()), d.kind().name(),
                hours ? d.hoursFrom().name() : null, hours && d.hoursFrom() == HoursFrom.FIXED ? d.hours() : null,
                hours ? d.maxHours() : null, hours && d.category() != null ? d.category().name() : null,
                hours && d.level() != null ? d.level().name() : null,
                d.kind() == Kind.INDICATOR_EVIDENCE ? indicator : null, d.enabled(), who};
        long saved;
        if (id == null) {
            saved = jdbc.sql("""
                    INSERT INTO lrs_mapping_rule (unit_path, position, name, verb, activity_type, extension,
                      extension_value, kind, hours_from, hours, max_hours, category, level, indicator, enabled,
                      updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                    .params(values).query(Long.class).single();
        } else {
            Object[] withId = java.util.Arrays.copyOf(values, values.length + 1);
            withId[values.length] = id;
            jdbc.sql("""
                    UPDATE lrs_mapping_rule SET unit_path = ?, position = ?, name = ?, verb = ?, activity_type = ?,
                      extension = ?, extension_value = ?, kind = ?, hours_from = ?, hours = ?, max_hours = ?,
                      category = ?, level = ?, indicator = ?, enabled = ?, updated_by = ?, updated_at = now()
                    WHERE id = ?""").params(withId).update();
            saved = id;
        }
        audit.record(id == null ? "lrs.rule.add" : "lrs.rule.change", "lrs_mapping_rule", saved, path,
                d.kind() + " " + d.verb().strip());
        changed();
        return saved;
    }

    @Transactional
    public void delete(long id, Scope scope) {
        Rule r = get(id, scope);
        jdbc.sql("DELETE FROM lrs_mapping_rule WHERE id = ?").param(id).update();
        audit.record("lrs.rule.delete", "lrs_mapping_rule", id, r.unitPath(), r.kind() + " " + r.verb());
        changed();
    }

    /** A unit code the admin manages; blank means the whole platform, for those who administer all of it. */
    private String unitPath(String code, Scope scope) {
        if (code == null || code.isBlank()) {
            return scope.all() ? "/" : null;
        }
        return tree.unit(code.strip()).map(Unit::path).filter(scope::covers).orElse(null);
    }

    private static void iri(String value, boolean required, String field, BadInputException.Collector problems) {
        String v = blank(value);
        if (v == null) {
            if (required) {
                problems.add(field, "error.required");
            }
        } else if (v.length() > 500 || !StatementValidator.isIri(v)) {
            problems.add(field, "xapi.error.iri");
        }
    }

    private static boolean positive(BigDecimal b) {
        return b != null && b.signum() > 0 && b.compareTo(MAX) <= 0 && b.scale() <= 2;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Forget the rules read, here at once and, after commit, once more (a reader may have read the old ones). */
    private void changed() {
        enabled = null;
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    enabled = null;
                }
            });
        }
    }

    // ---- on the write path -----------------------------------------------------------------------------------

    /** The rules for statements of a tenant: nearest unit first, each unit's in their order. */
    private List<Rule> rules(String tenant) {
        long now = System.currentTimeMillis();
        if (enabled == null || now - loadedAt > RELOAD_MILLIS) {
            List<Rule> all = jdbc.sql("SELECT " + COLUMNS + " FROM lrs_mapping_rule WHERE enabled")
                    .query(Rule.class).list();
            byTenant.clear();
            indicators = null;
            loadedAt = now;
            enabled = all;
        }
        List<Rule> all = enabled;
        return byTenant.computeIfAbsent(tenant, t -> all.stream().filter(r -> t.startsWith(r.unitPath()))
                .sorted(Comparator.comparing((Rule r) -> -r.unitPath().length()).thenComparing(Rule::position)
                        .thenComparing(Rule::id)).toList());
    }

    /** The facts a statement yields under a tenant's rules: at most one of each kind. */
    List<Drawn> draw(JsonNode statement, String activity, String tenant) {
        List<Rule> rules = rules(tenant);
        if (rules.isEmpty()) {
            return List.of();
        }
        String verb = statement.path("verb").path("id").asString("");
        List<Drawn> out = new ArrayList<>(1);
        EnumSet<Kind> done = EnumSet.noneOf(Kind.class);
        String type = null;
        boolean typeKnown = false;
        for (Rule r : rules) {
            if (!r.verb().equals(verb) || done.contains(r.kind())) {
                continue;
            }
            if (r.activityType() != null) {
                if (!typeKnown) {
                    type = activityType(statement, activity, tenant);
                    typeKnown = true;
                }
                if (!r.activityType().equals(type)) {
                    continue;
                }
            }
            if (r.extension() != null && !hasExtension(statement, r.extension(), r.extensionValue())) {
                continue;
            }
            Drawn d = apply(r, statement, activity);
            if (d != null) {
                out.add(d);
                done.add(r.kind());
            }
        }
        return out;
    }

    /** The statement's own definition type, else the one stored for the activity. */
    private String activityType(JsonNode statement, String activity, String tenant) {
        String own = statement.path("object").path("definition").path("type").asString(null);
        if (own != null || activity == null) {
            return own;
        }
        return activities.type(activity, tenant);
    }

    private static boolean hasExtension(JsonNode s, String iri, String value) {
        for (JsonNode ext : new JsonNode[] {s.path("context").path("extensions"), s.path("result").path("extensions"),
                s.path("object").path("definition").path("extensions")}) {
            JsonNode v = ext.get(iri);
            if (v != null && (value == null || value.equals(v.isString() ? v.asString() : v.toString()))) {
                return true;
            }
        }
        return false;
    }

    private Drawn apply(Rule r, JsonNode s, String activity) {
        JsonNode ext = s.path("context").path("extensions");
        switch (r.kind()) {
            case HOURS -> {
                BigDecimal h = r.hoursFrom() == HoursFrom.FIXED ? r.hours() : statedHours(s);
                if (h == null || h.signum() <= 0) {
                    return null;
                }
                if (r.maxHours() != null && h.compareTo(r.maxHours()) > 0) {
                    h = r.maxHours();
                }
                Category c = r.category() != null ? r.category()
                        : code(Category.class, ext.path(Profile.CATEGORY).asString(null));
                Level l = r.level() != null ? r.level() : code(Level.class, ext.path(Profile.LEVEL).asString(null));
                return new Drawn(r.id(), Kind.HOURS, h.min(MAX), c, l, activity, null);
            }
            case RESOURCE_USE -> {
                return activity == null ? null : new Drawn(r.id(), Kind.RESOURCE_USE, null, null, null, activity,
                        null);
            }
            default -> {
                String code = r.indicator() != null ? r.indicator() : ext.path(Profile.INDICATOR).asString(null);
                UUID item = code == null ? null : indicator(code).orElse(null);
                return item == null ? null : new Drawn(r.id(), Kind.INDICATOR_EVIDENCE, null, null, null, activity,
                        item);
            }
        }
    }

    /** Hours the statement states: the profile's hours extension, else its result's duration. */
    static BigDecimal statedHours(JsonNode s) {
        for (JsonNode ext : new JsonNode[] {s.path("context").path("extensions"), s.path("result").path("extensions")}) {
            JsonNode h = ext.path(Profile.HOURS);
            if (h.isNumber()) {
                return h.decimalValue().setScale(2, java.math.RoundingMode.HALF_UP);
            }
        }
        String duration = s.path("result").path("duration").asString(null);
        if (duration == null) {
            return null;
        }
        try {
            long seconds = java.time.Duration.parse(duration.replaceAll("\\.\\d*S$", "S")).getSeconds();
            return BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(3600), 2, java.math.RoundingMode.HALF_UP);
        } catch (java.time.format.DateTimeParseException e) { // years, months or weeks: not a span of hours
            return null;
        }
    }

    /** The constant of an enum with this name, or null (for codes statements and forms send). */
    static <E extends Enum<E>> E code(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /**
     * A framework item by its code in the published digital-literacy framework or the micro-capabilities (their
     * codes do not overlap: 3.2.1, A1).
     */
    Optional<UUID> indicator(String code) {
        Map<String, UUID> known = indicators;
        if (known == null) {
            known = new HashMap<>();
            for (String key : new String[] {Frameworks.MICRO_CAPABILITIES, Frameworks.DIGITAL_LITERACY}) {
                Map<String, UUID> into = known;
                frameworks.published(key).ifPresent(f -> frameworks.items(f.id())
                        .forEach(i -> into.put(i.code(), i.identifier())));
            }
            indicators = known;
        }
        return Optional.ofNullable(known.get(code.strip()));
    }
}
