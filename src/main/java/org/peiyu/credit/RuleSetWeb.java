package org.peiyu.credit;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.peiyu.credit.RuleSet.Measure;
import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.Unit;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NavigationEntry;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rule sets for admins: those of their units and those they inherit; a new version (copied from any of them) edited
 * as a form, checked field by field, its effect on the teachers it would judge shown before it is published.
 */
@Controller
class RuleSetWeb {

    private static final int BLANK_ROWS = 3;

    /** One row of the form's lists (a topic, a requirement, a conversion or a cap): the fields each kind uses. */
    record Row(String key, String label, String labelEn, String measure, List<String> categories, List<String> levels,
               List<String> modes, List<String> topics, String amount, boolean perYear) {
        static final Row BLANK = new Row("", "", "", "", List.of(), List.of(), List.of(), List.of(), "", false);
    }

    private final RuleSets ruleSets;
    private final Compliance compliance;
    private final DirectoryTree tree;

    RuleSetWeb(RuleSets ruleSets, Compliance compliance, DirectoryTree tree) {
        this.ruleSets = ruleSets;
        this.compliance = compliance;
        this.tree = tree;
    }

    @GetMapping("/credit/rule-sets")
    String list(Model model) {
        Scope scope = CurrentUser.adminScope();
        model.addAttribute("ruleSets", ruleSets.visible(scope));
        model.addAttribute("scope", scope);
        model.addAttribute("units", new Units(tree));
        return "credit/rule-sets";
    }

    /** A new version at the admin's unit, starting from a rule set they see (their own or an inherited one). */
    @GetMapping("/credit/rule-sets/new")
    String create(@RequestParam long from, Model model) {
        Scope scope = CurrentUser.adminScope();
        RuleSet source = ruleSets.visible(scope).stream().filter(r -> r.id() == from).findFirst()
                .orElseThrow(NotFoundException::new);
        String unitCode = scope.covers(source.unitPath()) ? code(source.unitPath()) : code(scope.unitPaths().get(0));
        return form(null, unitCode, source.name(), LocalDate.now(CreditLedger.ZONE).withDayOfYear(1).plusYears(1),
                RuleSets.JSON.valueToTree(source.rules()), true, null, model);
    }

    @GetMapping("/credit/rule-sets/{id}")
    String show(@PathVariable long id, Model model) {
        Scope scope = CurrentUser.adminScope();
        RuleSet r = ruleSets.visible(scope).stream().filter(x -> x.id() == id).findFirst()
                .orElseThrow(NotFoundException::new);
        boolean editable = r.status() == RuleSet.Status.DRAFT && scope.covers(r.unitPath());
        model.addAttribute("recompute", compliance.recomputeOf(id).orElse(null));
        return form(r, code(r.unitPath()), r.name(), r.effectiveFrom(), RuleSets.JSON.valueToTree(r.rules()), editable,
                editable ? preview(r) : null, model);
    }

    /** The recomputation card alone, which the page polls while it runs. */
    @GetMapping("/credit/rule-sets/{id}/recompute")
    String recomputeCard(@PathVariable long id, Model model) {
        RuleSet r = ruleSets.editable(id, CurrentUser.adminScope());
        model.addAttribute("ruleSet", r);
        model.addAttribute("recompute", compliance.recomputeOf(id).orElseThrow(NotFoundException::new));
        return "credit/rule-set :: recompute";
    }

    /** The draft's preview card alone, which the page polls while the preview is computed. */
    @GetMapping("/credit/rule-sets/{id}/preview")
    String previewCard(@PathVariable long id, Model model) {
        RuleSet r = ruleSets.editable(id, CurrentUser.adminScope());
        model.addAttribute("ruleSet", r);
        model.addAttribute("preview", preview(r));
        model.addAttribute("statuses", Standing.Status.values());
        return "credit/rule-set :: preview";
    }

    /** The draft's preview, started if it never was. */
    private Compliance.PreviewState preview(RuleSet draft) {
        return compliance.previewOf(draft.id()).orElseGet(() -> {
            compliance.startPreview(draft);
            return compliance.previewOf(draft.id()).orElseThrow();
        });
    }

    @PostMapping({"/credit/rule-sets", "/credit/rule-sets/{id}"})
    String save(@PathVariable(required = false) Long id, @RequestParam MultiValueMap<String, String> form,
                Model model, RedirectAttributes redirect) {
        Scope scope = CurrentUser.adminScope();
        String unitCode = form.getFirst("unitCode");
        LocalDate from = date(form.getFirst("effectiveFrom"));
        JsonNode rules = document(form);
        try {
            String path = unitCode == null || unitCode.isBlank() ? (scope.all() ? "/" : null)
                    : tree.unit(unitCode.strip()).map(Unit::path).orElse(null);
            long saved = ruleSets.saveDraft(id, path, form.getFirst("name"), from, rules, scope,
                    CurrentUser.get().getUsername());
            compliance.startPreview(ruleSets.get(saved).orElseThrow()); // what the draft now says
            redirect.addFlashAttribute("notice", "credit.rules.saved");
            return "redirect:/credit/rule-sets/" + saved;
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return form(id == null ? null : ruleSets.editable(id, scope), unitCode, form.getFirst("name"), from, rules,
                    true, null, model);
        }
    }

    @PostMapping("/credit/rule-sets/{id}/publish")
    String publish(@PathVariable long id, RedirectAttributes redirect) {
        compliance.startRecompute(ruleSets.publish(id, CurrentUser.adminScope()));
        redirect.addFlashAttribute("notice", "credit.rules.published");
        return "redirect:/credit/rule-sets/" + id;
    }

    private String form(RuleSet ruleSet, String unitCode, String name, LocalDate effectiveFrom, JsonNode rules,
                        boolean editable, Compliance.PreviewState preview, Model model) {
        model.addAttribute("ruleSet", ruleSet);
        model.addAttribute("unitCode", unitCode);
        model.addAttribute("name", name);
        model.addAttribute("effectiveFrom", effectiveFrom);
        model.addAttribute("rules", rules);
        model.addAttribute("editable", editable);
        model.addAttribute("preview", preview);
        model.addAttribute("topics", rows(rules.path("topics"), false));
        model.addAttribute("topicRows", rows(rules.path("topics"), editable));
        model.addAttribute("requirements", rows(rules.path("requirements"), editable));
        model.addAttribute("conversions", rows(rules.path("conversions"), editable));
        model.addAttribute("caps", rows(rules.path("caps"), editable));
        model.addAttribute("categories", Category.values());
        model.addAttribute("levels", Level.values());
        model.addAttribute("modes", Mode.values());
        model.addAttribute("measures", Measure.values());
        model.addAttribute("approvals", RuleSet.Approval.values());
        model.addAttribute("statuses", Standing.Status.values());
        return "credit/rule-set";
    }

    private static List<Row> rows(JsonNode list, boolean withBlanks) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode n : list) {
            JsonNode amount = n.has("atLeast") ? n.path("atLeast") : n.has("atMost") ? n.path("atMost")
                    : n.path("hoursPerCredit");
            rows.add(new Row(n.path("key").asString(""), n.path("label").asString(""), n.path("labelEn").asString(""),
                    n.path("measure").asString(""), strings(n.path("of").path("categories")),
                    strings(n.path("of").path("levels")), strings(n.path("of").path("modes")),
                    strings(n.path("of").path("topics")), amount.isNumber() ? amount.decimalValue().stripTrailingZeros().toPlainString() : amount.asString(""),
                    n.path("perYear").asBoolean(false)));
        }
        for (int i = 0; withBlanks && i < BLANK_ROWS; i++) {
            rows.add(Row.BLANK);
        }
        return rows;
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(v -> out.add(v.asString()));
        return out;
    }

    // ---- the form as a document ----------------------------------------------------------------------------------

    /** The rules document from the form: rows left blank are dropped; what is not a number stays text to be refused. */
    static JsonNode document(MultiValueMap<String, String> form) {
        ObjectNode doc = RuleSets.JSON.createObjectNode();
        number(doc, "cycleYears", form.getFirst("cycleYears"));
        number(doc, "cycleStartYear", form.getFirst("cycleStartYear"));
        doc.put("measure", form.getFirst("measure"));
        number(doc, "total", form.getFirst("total"));
        number(doc, "hoursPerCredit", form.getFirst("hoursPerCredit"));
        doc.put("applicationApproval", form.getFirst("applicationApproval"));
        ArrayNode topics = doc.putArray("topics");
        ArrayNode conversions = doc.putArray("conversions");
        ArrayNode requirements = doc.putArray("requirements");
        ArrayNode caps = doc.putArray("caps");
        for (int i = 0; i < 100; i++) {
            if (filled(form, "topic" + i, Set.of("key", "label", "labelEn"))) {
                ObjectNode t = topics.addObject();
                t.put("key", text(form.getFirst("topic" + i + ".key")));
                t.put("label", text(form.getFirst("topic" + i + ".label")));
                t.put("labelEn", text(form.getFirst("topic" + i + ".labelEn")));
            }
            if (filled(form, "conv" + i, Set.of("hoursPerCredit"))) {
                ObjectNode c = conversions.addObject();
                c.set("of", selector(form, "conv" + i));
                number(c, "hoursPerCredit", form.getFirst("conv" + i + ".hoursPerCredit"));
            }
            if (filled(form, "req" + i, Set.of("key", "label", "labelEn", "atLeast"))) {
                ObjectNode r = requirements.addObject();
                r.put("key", text(form.getFirst("req" + i + ".key")));
                r.put("label", text(form.getFirst("req" + i + ".label")));
                r.put("labelEn", text(form.getFirst("req" + i + ".labelEn")));
                r.put("measure", form.getFirst("req" + i + ".measure"));
                r.set("of", selector(form, "req" + i));
                number(r, "atLeast", form.getFirst("req" + i + ".atLeast"));
                r.put("perYear", form.containsKey("req" + i + ".perYear"));
            }
            if (filled(form, "cap" + i, Set.of("atMost"))) {
                ObjectNode c = caps.addObject();
                c.set("of", selector(form, "cap" + i));
                c.put("measure", form.getFirst("cap" + i + ".measure"));
                number(c, "atMost", form.getFirst("cap" + i + ".atMost"));
            }
        }
        return doc;
    }

    /** Whether a row has anything in its text fields (a blank row's selects keep their defaults). */
    private static boolean filled(MultiValueMap<String, String> form, String row, Set<String> fields) {
        return fields.stream().anyMatch(f -> !text(form.getFirst(row + "." + f)).isEmpty());
    }

    private static ObjectNode selector(MultiValueMap<String, String> form, String row) {
        ObjectNode of = RuleSets.JSON.createObjectNode();
        for (String dimension : List.of("categories", "levels", "modes", "topics")) {
            ArrayNode values = of.putArray(dimension);
            List<String> chosen = form.get(row + "." + dimension);
            if (chosen != null) {
                chosen.stream().filter(v -> !v.isBlank()).forEach(values::add);
            }
        }
        return of;
    }

    private static void number(ObjectNode n, String field, String value) {
        String v = text(value);
        if (v.matches("-?[0-9]{1,9}")) {
            n.put(field, Integer.parseInt(v));
            return;
        }
        try {
            n.put(field, new BigDecimal(v));
        } catch (NumberFormatException e) {
            n.put(field, v);
        }
    }

    private static String text(String v) {
        return v == null ? "" : v.strip();
    }

    private static LocalDate date(String v) {
        try {
            return v == null || v.isBlank() ? null : LocalDate.parse(v.strip());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String code(String unitPath) {
        return unitPath.equals("/") ? "" : unitPath.substring(unitPath.lastIndexOf('/', unitPath.length() - 2) + 1,
                unitPath.length() - 1);
    }

    /** Unit names for the list, looked up as the template asks. */
    record Units(DirectoryTree tree) {
        public String name(String path) {
            return path.equals("/") ? null : tree.unitByPath(path).map(Unit::name).orElse(path);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Navigation {
        @Bean
        NavigationEntry ruleSetNavigation() {
            return new NavigationEntry("nav.ruleSets", "/credit/rule-sets", org.peiyu.platform.security.Role.ADMINS, 56);
        }
    }
}
