package org.peiyu.lrs;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.Unit;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NavigationEntry;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

/**
 * The LRS for people: admins manage clients, identity sources and actors waiting to be linked, and browse the
 * statements of their scope; a teacher sees their own learning record and adds the mailboxes their platforms use.
 */
@Controller
class LrsWeb {

    private static final int PAGE = 50;

    private final LrsClients clients;
    private final Actors actors;
    private final Statements statements;
    private final DirectoryTree tree;
    private final AuditLog audit;
    private final Facts facts;

    LrsWeb(LrsClients clients, Actors actors, Statements statements, DirectoryTree tree, AuditLog audit,
           Facts facts) {
        this.facts = facts;
        this.clients = clients;
        this.actors = actors;
        this.statements = statements;
        this.tree = tree;
        this.audit = audit;
    }

    /** The admin's scope; anyone else gets nothing, not even the page. */
    static Scope admin() {
        if (Role.ADMINS.stream().noneMatch(CurrentUser.get()::has)) {
            throw new NotFoundException();
        }
        return CurrentUser.adminScope();
    }

    // ---- clients ---------------------------------------------------------------------------------------------

    @GetMapping("/lrs/clients")
    String clients(Model model) {
        model.addAttribute("clients", clients.list(admin()));
        return "lrs/clients";
    }

    @PostMapping("/lrs/clients")
    String createClient(@RequestParam String name, @RequestParam String unitCode,
                        @RequestParam(defaultValue = "false") boolean canRead,
                        @RequestParam(defaultValue = "false") boolean canWrite,
                        @RequestParam(required = false) Integer ratePerMinute, Model model) {
        Scope scope = admin();
        try {
            model.addAttribute("created", clients.create(name, unitCode, canRead, canWrite, ratePerMinute, scope,
                    CurrentUser.get().getUsername()));
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
        }
        model.addAttribute("clients", clients.list(scope));
        return "lrs/clients";
    }

    @PostMapping("/lrs/clients/{id}/revoke")
    String revoke(@PathVariable long id, RedirectAttributes redirect) {
        clients.revoke(id, admin(), CurrentUser.get().getUsername());
        redirect.addFlashAttribute("notice", "lrs.client.revokedNotice");
        return "redirect:/lrs/clients";
    }

    // ---- identity sources and actors -------------------------------------------------------------------------

    @GetMapping("/lrs/identities")
    String identities(Model model) {
        model.addAttribute("sources", actors.sources(admin()));
        model.addAttribute("kinds", Actors.Kind.values());
        return "lrs/identities";
    }

    @PostMapping("/lrs/identities")
    String addSource(@RequestParam String unitCode, @RequestParam String homePage,
                     @RequestParam(required = false) Actors.Kind kind, Model model, RedirectAttributes redirect) {
        Scope scope = admin();
        try {
            String path = tree.unit(unitCode.strip()).map(Unit::path).orElse(null);
            int matched = actors.addSource(path, homePage, kind, scope, CurrentUser.get().getUsername());
            redirect.addFlashAttribute("matched", matched);
            return "redirect:/lrs/identities";
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return identities(model);
        }
    }

    @PostMapping("/lrs/identities/{id}/remove")
    String removeSource(@PathVariable long id) {
        actors.removeSource(id, admin(), CurrentUser.get().getUsername());
        return "redirect:/lrs/identities";
    }

    @GetMapping("/lrs/actors")
    String actors(@RequestParam(defaultValue = "false") boolean matched, Model model) {
        model.addAttribute("actors", actors.list(admin(), matched, PAGE));
        model.addAttribute("matched", matched);
        return "lrs/actors";
    }

    @PostMapping("/lrs/actors/{id}/link")
    String link(@PathVariable long id, @RequestParam(required = false) String idCard, Model model,
                RedirectAttributes redirect) {
        try {
            actors.link(id, idCard, admin(), CurrentUser.get().getUsername());
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return actors(false, model);
        }
        redirect.addFlashAttribute("notice", "lrs.actor.linkedNotice");
        return "redirect:/lrs/actors";
    }

    @PostMapping("/lrs/actors/{id}/unlink")
    String unlink(@PathVariable long id) {
        actors.unlink(id, admin(), CurrentUser.get().getUsername());
        return "redirect:/lrs/actors?matched=true";
    }

    // ---- statement browser -----------------------------------------------------------------------------------

    /** One line of the browser: who did what to which object, when. */
    record Row(String id, Instant stored, String actor, String verb, String object) {
    }

    @GetMapping("/lrs/statements")
    String browse(@RequestParam(required = false) Long actor, @RequestParam(required = false) String verb,
                  @RequestParam(required = false) String activity,
                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate since,
                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until,
                  @RequestParam(required = false) String more, Model model) {
        Scope scope = admin();
        BadInputException.Collector problems = new BadInputException.Collector();
        if (verb != null && !verb.isBlank() && !StatementValidator.isIri(verb.strip())) {
            problems.add("verb", "xapi.error.iri");
        }
        if (activity != null && !activity.isBlank() && !StatementValidator.isIri(activity.strip())) {
            problems.add("activity", "xapi.error.iri");
        }
        model.addAttribute("rows", List.of());
        try {
            problems.throwIfAny();
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return "lrs/statements";
        }
        Actors.Actor who = actor == null ? null : actors.get(actor, scope);
        // a narrower tenant when one actor is asked for; otherwise the admin's (first) unit
        String path = who != null ? who.tenant() : scope.all() ? "" : scope.unitPaths().get(0);
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        Statements.Query q = more != null && !more.isBlank() ? Statements.fromCursor(more)
                : new Statements.Query(who == null ? null : who.agentKey(), blank(verb), blank(activity), null,
                false, false, since == null ? null : since.atStartOfDay(zone).toInstant(),
                until == null ? null : until.plusDays(1).atStartOfDay(zone).toInstant(), PAGE, false, null, null);
        Statements.Page page = statements.query(q, path);
        Locale locale = LocaleContextHolder.getLocale();
        model.addAttribute("rows", page.statements().stream().map(Statements.JSON::readTree)
                .map(s -> row(s, locale)).toList());
        model.addAttribute("more", page.more());
        model.addAttribute("actor", who);
        return "lrs/statements";
    }

    @GetMapping("/lrs/statements/{id}")
    String statement(@PathVariable UUID id, Model model) {
        Scope scope = admin();
        String path = scope.all() ? "" : scope.unitPaths().get(0);
        JsonNode s = statements.get(id, false, path).or(() -> statements.get(id, true, path))
                .orElseThrow(NotFoundException::new);
        // the statement names a person in full: who looked is recorded
        audit.record("lrs.statement.view", "xapi_statement", null, path, id.toString());
        model.addAttribute("row", row(s, LocaleContextHolder.getLocale()));
        model.addAttribute("json", Statements.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s));
        return "lrs/statement";
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static Row row(JsonNode s, Locale locale) {
        JsonNode actor = s.path("actor");
        String key = Statements.agentKey(actor);
        String who = actor.path("name").asString("");
        if (key != null && key.startsWith("Agent|")) {
            String label = Actors.label(key);
            who = who.isEmpty() ? label : who + " (" + label + ")";
        }
        JsonNode object = s.path("object");
        String what = display(object.path("definition").path("name"), locale);
        if (what == null) {
            what = object.path("id").asString(object.path("objectType").asString(""));
        }
        String verb = display(s.path("verb").path("display"), locale);
        if (verb == null) {
            String id = s.path("verb").path("id").asString("");
            verb = id.substring(id.lastIndexOf('/') + 1);
        }
        return new Row(s.path("id").asString(), Timestamps.parse(s.path("stored").asString()), who, verb, what);
    }

    /** A language map in the reader's language if it has it, else its first entry. */
    private static String display(JsonNode map, Locale locale) {
        if (!map.isObject() || map.isEmpty()) {
            return null;
        }
        for (var e : map.properties()) {
            if (e.getKey().toLowerCase(Locale.ROOT).startsWith(locale.getLanguage())) {
                return e.getValue().asString();
            }
        }
        return map.properties().iterator().next().getValue().asString();
    }

    // ---- a teacher's own record ------------------------------------------------------------------------------

    @GetMapping("/my/learning")
    String mine(Model model) {
        long me = CurrentUser.teacherId();
        Locale locale = LocaleContextHolder.getLocale();
        model.addAttribute("rows", statements.ofActors(actors.of(me), PAGE).stream()
                .map(s -> row(s, locale)).toList());
        model.addAttribute("mailboxes", actors.mailboxes(me));
        model.addAttribute("hours", facts.hours(me));
        model.addAttribute("facts", facts.ofTeacher(me, PAGE));
        return "lrs/mine";
    }

    @PostMapping("/my/learning/mailboxes")
    String addMailbox(@RequestParam(required = false) String address, Model model, RedirectAttributes redirect) {
        try {
            actors.addMailbox(CurrentUser.teacherId(), address, CurrentUser.get().getUsername());
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return mine(model);
        }
        redirect.addFlashAttribute("notice", "lrs.mailbox.added");
        return "redirect:/my/learning";
    }

    @Configuration(proxyBeanMethods = false)
    static class Navigation {
        @Bean
        NavigationEntry lrsNavigation() {
            return new NavigationEntry("nav.lrs", "/lrs/statements", Role.ADMINS, 60);
        }

        @Bean
        NavigationEntry myLearningNavigation() {
            return new NavigationEntry("nav.myLearning", "/my/learning", EnumSet.of(Role.TEACHER), 5);
        }
    }
}
