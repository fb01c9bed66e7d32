package org.peiyu.assessment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.peiyu.assessment.EvidenceReview.Form;
import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.Unit;
import org.peiyu.framework.FrameworkItem;
import org.peiyu.framework.Frameworks;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.files.TableFile;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * The rubric of each micro-capability point: which evidence it asks for and what 优秀/合格/不合格 mean for each piece.
 * A region defines rubrics at its unit and everything below inherits the nearest definition, so a province's
 * 考核规范 applies to its schools unless a city or district refines it. The shipped rubrics are a labelled sample.
 */
@Service
public class Rubrics {

    static final String FRAMEWORK = Frameworks.MICRO_CAPABILITIES;
    static final int MAX_TEXT = 2000;
    private static final String ROOT = "";

    public record Criterion(Form form, String excellent, String pass, String fail) {
    }

    /** A point's rubric as it applies somewhere: defined at {@code definedAt} ("" for the shipped sample). */
    public record Rubric(UUID point, String definedAt, boolean sample, List<Criterion> criteria) {
        public List<Form> forms() {
            return criteria.stream().map(Criterion::form).toList();
        }
    }

    private final JdbcClient jdbc;
    private final Frameworks frameworks;
    private final DirectoryTree tree;
    private final AuditLog audit;
    private final MessageSource messages;

    Rubrics(JdbcClient jdbc, Frameworks frameworks, DirectoryTree tree, AuditLog audit, MessageSource messages) {
        this.jdbc = jdbc;
        this.frameworks = frameworks;
        this.tree = tree;
        this.audit = audit;
        this.messages = messages;
    }

    /** The rubric in force for each point at a unit path (and for everything filed under it). */
    public Map<UUID, Rubric> inForce(String unitPath) {
        Map<UUID, Rubric> rubrics = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT unit_path, point, form, excellent, pass, fail, sample FROM review_rubric
                WHERE ? LIKE unit_path || '%' ORDER BY point, length(unit_path) DESC, position""")
                .param(unitPath).query(rs -> {
                    UUID point = rs.getObject("point", UUID.class);
                    String at = rs.getString("unit_path");
                    Rubric r = rubrics.get(point);
                    if (r == null) {
                        r = new Rubric(point, at, rs.getBoolean("sample"), new ArrayList<>());
                        rubrics.put(point, r);
                    }
                    if (r.definedAt().equals(at)) { // only the nearest definition counts
                        r.criteria().add(new Criterion(Form.valueOf(rs.getString("form")), rs.getString("excellent"),
                                rs.getString("pass"), rs.getString("fail")));
                    }
                });
        return rubrics;
    }

    /** The points rubrics can be defined for: the micro-capabilities of the published framework, in order. */
    public List<FrameworkItem> points() {
        return frameworks.published(FRAMEWORK).map(f -> frameworks.items(f.id()).stream()
                .filter(i -> i.parentId() != null).toList()).orElse(List.of());
    }

    /**
     * The unit an admin defines rubrics for; a blank code is the root (the whole platform), for system admins only.
     */
    public String unitPath(String unitCode, Scope scope) {
        if ((unitCode == null || unitCode.isBlank()) && scope.all()) {
            return ROOT;
        }
        return tree.unit(unitCode == null ? null : unitCode.strip()).map(Unit::path).filter(scope::covers)
                .orElseThrow(() -> new BadInputException("unitCode", "account.error.unit"));
    }

    /** Defines a point's rubric at a unit, replacing whatever that unit had defined for the point. */
    @Transactional
    public void define(UUID point, String unitCode, List<Criterion> criteria, Scope scope, String actor) {
        String path = unitPath(unitCode, scope);
        FrameworkItem item = points().stream().filter(p -> p.identifier().equals(point)).findFirst()
                .orElseThrow(() -> new BadInputException("point", "review.error.unknownPoint"));
        BadInputException.Collector problems = new BadInputException.Collector();
        if (criteria.isEmpty()) {
            problems.add("criteria", "rubric.error.empty");
        }
        Set<Form> seen = new HashSet<>();
        for (int i = 0; i < criteria.size(); i++) {
            Criterion c = criteria.get(i);
            if (c.form() == null || !seen.add(c.form())) {
                problems.add("form" + i, "rubric.error.form", i + 1);
            }
            if (!fits(c.excellent()) || !fits(c.pass()) || !fits(c.fail())) {
                problems.add("text" + i, "rubric.error.text", i + 1, MAX_TEXT);
            }
        }
        problems.throwIfAny();
        store(path, point, criteria, actor);
        audit.record(null, actor, "review.rubric.define", "review_rubric", item.code(), path,
                String.join(",", criteria.stream().map(c -> c.form().name()).toList()));
    }

    /** Drops a unit's own rubric for a point, so that the unit inherits again from above. */
    @Transactional
    public void inherit(UUID point, String unitCode, Scope scope, String actor) {
        String path = unitPath(unitCode, scope);
        if (path.equals(ROOT)) {
            throw new BadInputException("unitCode", "rubric.error.root");
        }
        if (jdbc.sql("DELETE FROM review_rubric WHERE unit_path = ? AND point = ?").params(path, point).update() > 0) {
            audit.record(null, actor, "review.rubric.inherit", "review_rubric", point, path, null);
        }
    }

    /**
     * Imports rubrics for a unit from .xlsx or CSV, one row per point and evidence form (code, form, 优秀, 合格, 不合格,
     * after a header row). Every row is checked first; one bad row and nothing is stored. Returns the points defined.
     */
    @Transactional
    public int importTable(String unitCode, InputStream in, Scope scope, String actor) throws IOException {
        String path = unitPath(unitCode, scope);
        Map<String, UUID> byCode = new HashMap<>();
        points().forEach(p -> byCode.put(p.code(), p.identifier()));
        Map<String, Form> forms = formNames();
        Map<UUID, List<Criterion>> rubrics = new LinkedHashMap<>();
        BadInputException.Collector problems = new BadInputException.Collector();
        TableFile.read(in, (row, cells) -> {
            if (row == 1 || TableFile.blank(cells)) {
                return;
            }
            String code = cell(cells, 0);
            UUID point = byCode.get(code);
            Form form = forms.get(cell(cells, 1));
            if (point == null) {
                problems.add("file", "rubric.error.rowPoint", row, code);
            } else if (form == null) {
                problems.add("file", "rubric.error.rowForm", row, cell(cells, 1));
            } else if (!fits(cell(cells, 2)) || !fits(cell(cells, 3)) || !fits(cell(cells, 4))) {
                problems.add("file", "rubric.error.rowText", row, MAX_TEXT);
            } else {
                List<Criterion> list = rubrics.computeIfAbsent(point, p -> new ArrayList<>());
                if (list.stream().anyMatch(c -> c.form() == form)) {
                    problems.add("file", "rubric.error.rowTwice", row, code, cell(cells, 1));
                }
                list.add(new Criterion(form, cell(cells, 2), cell(cells, 3), cell(cells, 4)));
            }
        });
        if (rubrics.isEmpty() && problems.isEmpty()) {
            problems.add("file", "import.error.noRows");
        }
        problems.throwIfAny();
        rubrics.forEach((point, criteria) -> store(path, point, criteria, actor));
        audit.record(null, actor, "review.rubric.import", "review_rubric", null, path, rubrics.size() + " points");
        return rubrics.size();
    }

    /** The rubrics in force at a unit, as .xlsx in the import's layout (plus where each is defined). */
    public void export(String unitPath, Locale locale, OutputStream out) throws IOException {
        Map<UUID, Rubric> rubrics = inForce(unitPath);
        try (XlsxExport x = new XlsxExport(out, "rubrics", List.of(msg("rubric.col.code", locale),
                msg("rubric.col.form", locale), msg("review.grade.EXCELLENT", locale), msg("review.grade.PASS", locale),
                msg("review.grade.FAIL", locale), msg("rubric.definedAt", locale)))) {
            for (FrameworkItem p : points()) {
                Rubric r = rubrics.get(p.identifier());
                if (r == null) {
                    continue;
                }
                String at = definedAtName(r, locale);
                for (Criterion c : r.criteria()) {
                    x.row(List.of(p.code(), msg("review.form." + c.form(), locale), c.excellent(), c.pass(), c.fail(),
                            at));
                }
            }
        }
    }

    /** Where a rubric comes from, for people: the unit's name, or the shipped sample. */
    public String definedAtName(Rubric r, Locale locale) {
        if (r.sample()) {
            return msg("rubric.sample", locale);
        }
        return r.definedAt().isEmpty() ? msg("rubric.platform", locale)
                : tree.unitByPath(r.definedAt()).map(Unit::name).orElse(r.definedAt());
    }

    /** Ships the sample rubrics at the root, once, by each point's dimension. */
    @Transactional
    public void seedSample(InputStream json) {
        if (jdbc.sql("SELECT count(*) FROM review_rubric WHERE unit_path = ''").query(Long.class).single() > 0) {
            return;
        }
        JsonNode byDimension = ItemBank.JSON.readTree(json).path("byDimension");
        for (FrameworkItem p : points()) {
            List<Criterion> criteria = new ArrayList<>();
            for (JsonNode c : byDimension.path(EvidenceReview.dimensionOf(p))) {
                criteria.add(new Criterion(Form.valueOf(c.path("form").asString()),
                        c.path("excellent").asString().replace("{point}", p.name()),
                        c.path("pass").asString().replace("{point}", p.name()),
                        c.path("fail").asString().replace("{point}", p.name())));
            }
            if (!criteria.isEmpty()) {
                store(ROOT, p.identifier(), criteria, "system");
                jdbc.sql("UPDATE review_rubric SET sample = TRUE WHERE unit_path = '' AND point = ?")
                        .param(p.identifier()).update();
            }
        }
    }

    private void store(String path, UUID point, List<Criterion> criteria, String actor) {
        jdbc.sql("DELETE FROM review_rubric WHERE unit_path = ? AND point = ?").params(path, point).update();
        for (int i = 0; i < criteria.size(); i++) {
            Criterion c = criteria.get(i);
            jdbc.sql("""
                    INSERT INTO review_rubric (unit_path, point, form, position, excellent, pass, fail, updated_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(path, point, c.form().name(), i, c.excellent().strip(), c.pass().strip(),
                            c.fail().strip(), actor).update();
        }
    }

    /** Evidence forms by their code or their Chinese or English label, as people type them in a table. */
    private Map<String, Form> formNames() {
        Map<String, Form> names = new HashMap<>();
        for (Form f : Form.values()) {
            names.put(f.name(), f);
            names.put(msg("review.form." + f, Locale.SIMPLIFIED_CHINESE), f);
            names.put(msg("review.form." + f, Locale.ENGLISH), f);
        }
        return names;
    }

    private static boolean fits(String text) {
        return text != null && !text.isBlank() && text.strip().length() <= MAX_TEXT;
    }

    private static String cell(List<String> cells, int i) {
        return i < cells.size() && cells.get(i) != null ? cells.get(i).strip() : "";
    }

    private String msg(String key, Locale locale) {
        return messages.getMessage(key, null, key, locale);
    }
}
