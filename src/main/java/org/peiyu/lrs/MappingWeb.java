package org.peiyu.lrs;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.Unit;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Kind;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Admins' pages for what statements mean: Peiyu's xAPI profile, the mapping rules, and re-runs of the mapping. */
@Controller
class MappingWeb {

    private final MappingRules rules;
    private final Facts facts;
    private final Profile profile;
    private final DirectoryTree tree;

    MappingWeb(MappingRules rules, Facts facts, Profile profile, DirectoryTree tree) {
        this.rules = rules;
        this.facts = facts;
        this.profile = profile;
        this.tree = tree;
    }

    /** The profile document, for anyone: learning platforms read it to know what to send. */
    @GetMapping("/profiles/peiyu.jsonld")
    ResponseEntity<byte[]> document() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/ld+json"))
                .body(profile.document());
    }

    @GetMapping("/lrs/profile")
    String profile(Model model) {
        LrsWeb.admin();
        Locale locale = LocaleContextHolder.getLocale();
        model.addAttribute("locale", locale);
        for (String type : new String[] {"Verb", "ActivityType", "ContextExtension", "StatementTemplate"}) {
            model.addAttribute(type, profile.concepts(type));
        }
        return "lrs/profile";
    }

    /** A rule as shown: who may change it, and its verb and type in words. */
    record Shown(MappingRules.Rule rule, boolean editable, String title) {
    }

    @GetMapping("/lrs/rules")
    String rules(Model model) {
        Scope scope = LrsWeb.admin();
        Locale locale = LocaleContextHolder.getLocale();
        model.addAttribute("rules", rules.list(scope).stream().map(r -> new Shown(r, scope.covers(r.unitPath()),
                r.name() != null ? r.name() : profile.label(r.verb(), locale)
                        + (r.activityType() == null ? "" : " · " + profile.label(r.activityType(), locale))))
                .toList());
        model.addAttribute("runs", facts.runs(scope, 10));
        return "lrs/rules";
    }

    @GetMapping("/lrs/rules/new")
    String newRule(Model model) {
        Scope scope = LrsWeb.admin();
        return form(model, null, new MappingRules.Draft(scope.all() ? "" : null, 100, null, null, null, null, null,
                Kind.HOURS, MappingRules.HoursFrom.STATEMENT, null, null, null, null, null, true));
    }

    @GetMapping("/lrs/rules/{id}")
    String editRule(@PathVariable long id, Model model) {
        MappingRules.Rule r = rules.get(id, LrsWeb.admin());
        String code = r.unitPath().equals("/") ? "" : tree.unitByPath(r.unitPath()).map(Unit::code).orElse("");
        return form(model, id, new MappingRules.Draft(code, r.position(), r.name(), r.verb(), r.activityType(),
                r.extension(), r.extensionValue(), r.kind(), r.hoursFrom(), r.hours(), r.maxHours(), r.category(),
                r.level(), r.indicator(), r.enabled()));
    }

    private String form(Model model, Long id, MappingRules.Draft draft) {
        model.addAttribute("id", id);
        model.addAttribute("draft", draft);
        model.addAttribute("verbs", profile.concepts("Verb"));
        model.addAttribute("types", profile.concepts("ActivityType"));
        model.addAttribute("extensions", profile.concepts("ContextExtension"));
        model.addAttribute("locale", LocaleContextHolder.getLocale());
        model.addAttribute("kinds", Kind.values());
        model.addAttribute("hoursFroms", MappingRules.HoursFrom.values());
        model.addAttribute("categories", Category.values());
        model.addAttribute("levels", Level.values());
        return "lrs/rule";
    }

    @PostMapping({"/lrs/rules/new", "/lrs/rules/{id}"})
    String save(@PathVariable(required = false) Long id, @RequestParam Map<String, String> form, Model model,
                RedirectAttributes redirect) {
        Scope scope = LrsWeb.admin();
        BadInputException.Collector unreadable = new BadInputException.Collector();
        MappingRules.Draft draft = draft(form, unreadable);
        try {
            unreadable.throwIfAny();
            rules.save(id, draft, scope, CurrentUser.get().getUsername());
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return form(model, id, draft);
        }
        redirect.addFlashAttribute("notice", "lrs.rule.saved");
        return "redirect:/lrs/rules";
    }

    @PostMapping("/lrs/rules/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes redirect) {
        rules.delete(id, LrsWeb.admin());
        redirect.addFlashAttribute("notice", "lrs.rule.deleted");
        return "redirect:/lrs/rules";
    }

    @PostMapping("/lrs/rules/rerun")
    String rerun(@RequestParam(required = false) String unitCode, Model model, RedirectAttributes redirect) {
        Scope scope = LrsWeb.admin();
        String path = unitCode == null || unitCode.isBlank() ? (scope.all() ? "/" : null)
                : tree.unit(unitCode.strip()).map(Unit::path).orElse(null);
        try {
            facts.rerun(path, scope, CurrentUser.get().getUsername());
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return rules(model);
        }
        redirect.addFlashAttribute("notice", "lrs.rule.rerunStarted");
        return "redirect:/lrs/rules";
    }

    /** The form's fields, typed; a number or choice that does not parse is left out and named in problems. */
    private static MappingRules.Draft draft(Map<String, String> f, BadInputException.Collector problems) {
        Integer position = number(f, "position", problems, Integer::valueOf);
        BigDecimal hours = number(f, "hours", problems, BigDecimal::new);
        BigDecimal maxHours = number(f, "maxHours", problems, BigDecimal::new);
        Kind kind = choice(f, "fact", Kind.class, problems);
        MappingRules.HoursFrom from = choice(f, "hoursFrom", MappingRules.HoursFrom.class, problems);
        Category category = choice(f, "category", Category.class, problems);
        Level level = choice(f, "level", Level.class, problems);
        return new MappingRules.Draft(f.get("unitCode"), position, f.get("name"), f.get("verb"),
                f.get("activityType"), f.get("extension"), f.get("extensionValue"), kind, from, hours, maxHours,
                category, level, f.get("indicator"), "true".equals(f.get("enabled")));
    }

    private static <T> T number(Map<String, String> f, String field, BadInputException.Collector problems,
                                java.util.function.Function<String, T> parse) {
        String v = f.get(field);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return parse.apply(v.strip());
        } catch (NumberFormatException e) {
            problems.add(field, "error.number");
            return null;
        }
    }

    private static <E extends Enum<E>> E choice(Map<String, String> f, String field, Class<E> type,
                                                BadInputException.Collector problems) {
        String v = f.get(field);
        E e = MappingRules.code(type, v);
        if (e == null && v != null && !v.isBlank()) {
            problems.add(field, "error.choice");
        }
        return e;
    }
}
