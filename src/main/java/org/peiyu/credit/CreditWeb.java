package org.peiyu.credit;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.peiyu.credit.CreditLedger.Posting;
import org.peiyu.credit.CreditLedger.Source;
import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NavigationEntry;
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

/** The hours/credit archive (学时档案) of a teacher, for the teacher and for admins, and compliance down the tree. */
@Controller
class CreditWeb {

    private static final int PAGE = 50;

    private final CreditLedger ledger;
    private final Compliance compliance;
    private final ArchiveExports exports;

    CreditWeb(CreditLedger ledger, Compliance compliance, ArchiveExports exports) {
        this.ledger = ledger;
        this.compliance = compliance;
        this.exports = exports;
    }

    // ---- the archive ---------------------------------------------------------------------------------------------

    @GetMapping("/my/credits")
    String mine(@RequestParam(required = false) Integer year, Model model) {
        return archive(CurrentUser.teacherId(), CurrentUser.scope(), year, false, model);
    }

    @GetMapping({"/my/credits.xlsx", "/my/credits.pdf"})
    void mineExport(@RequestParam(required = false) Integer year, HttpServletRequest request,
                    HttpServletResponse response) throws IOException {
        exports.write(CurrentUser.teacherId(), CurrentUser.scope(), day(year), request.getRequestURI().endsWith(".pdf"),
                LocaleContextHolder.getLocale(), response);
    }

    @GetMapping("/credit/teachers/{id}")
    String teacher(@PathVariable long id, @RequestParam(required = false) Integer year, Model model) {
        return archive(id, CurrentUser.adminScope(), year, true, model);
    }

    @GetMapping({"/credit/teachers/{id}.xlsx", "/credit/teachers/{id}.pdf"})
    void teacherExport(@PathVariable long id, @RequestParam(required = false) Integer year,
                       HttpServletRequest request, HttpServletResponse response) throws IOException {
        exports.write(id, CurrentUser.adminScope(), day(year), request.getRequestURI().endsWith(".pdf"),
                LocaleContextHolder.getLocale(), response);
    }

    @PostMapping("/credit/teachers/{id}/adjustments")
    String adjust(@PathVariable long id, @RequestParam(required = false) @DateTimeFormat(
                          iso = DateTimeFormat.ISO.DATE) LocalDate occurred,
                  @RequestParam(required = false) BigDecimal hours,
                  @RequestParam(required = false) Category category, @RequestParam(required = false) Level level,
                  @RequestParam(required = false) Mode mode, @RequestParam(required = false) String topic,
                  @RequestParam(required = false) String title, @RequestParam(required = false) String reason,
                  @RequestParam(required = false) String ref,
                  Model model, RedirectAttributes redirect) {
        Scope scope = CurrentUser.adminScope();
        String by = CurrentUser.get().getUsername();
        try {
            ledger.adjust(new Posting(id, occurred, hours, category, level, mode == null ? Mode.THEORY : mode,
                    topic, Source.ADJUSTMENT, ref, title, reason, List.of()), scope, by);
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return archive(id, scope, null, true, model);
        }
        redirect.addFlashAttribute("notice", "credit.adjusted");
        return "redirect:/credit/teachers/" + id;
    }

    @PostMapping("/credit/entries/{entry}/reversal")
    String reverse(@PathVariable long entry, @RequestParam long teacher, @RequestParam(required = false) String reason,
                   Model model, RedirectAttributes redirect) {
        Scope scope = CurrentUser.adminScope();
        try {
            ledger.reverse(entry, reason, scope, CurrentUser.get().getUsername());
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return archive(teacher, scope, null, true, model);
        }
        redirect.addFlashAttribute("notice", "credit.reversed");
        return "redirect:/credit/teachers/" + teacher;
    }


    /** The day a cycle is looked at on: today, or the last day of the year asked for if that is earlier. */
    private static LocalDate day(Integer year) {
        LocalDate today = LocalDate.now(CreditLedger.ZONE);
        return year == null || year >= today.getYear() || year < 1990 ? today : LocalDate.of(year, 12, 31);
    }

    private String archive(long teacherId, Scope scope, Integer year, boolean admin, Model model) {
        String path = compliance.pathIfVisible(teacherId, scope);
        LocalDate day = day(year);
        Compliance.Judged judged = compliance.judge(teacherId, path, day);
        Standing s = judged.standing();
        List<CreditLedger.Entry> entries = ledger.entries(teacherId, s.cycleStart(), s.cycleEnd());
        Map<Integer, BigDecimal> byYear = new TreeMap<>();
        for (int y = s.cycleStart().getYear(); y <= s.cycleEnd().getYear(); y++) {
            byYear.put(y, BigDecimal.ZERO);
        }
        entries.forEach(e -> byYear.merge(e.occurred().getYear(), e.hours(), BigDecimal::add));
        model.addAttribute("teacherId", teacherId);
        model.addAttribute("admin", admin);
        model.addAttribute("ruleSet", judged.ruleSet());
        model.addAttribute("standing", s);
        model.addAttribute("worst", s.worst());
        model.addAttribute("current", day.equals(LocalDate.now(CreditLedger.ZONE)));
        model.addAttribute("year", year);
        model.addAttribute("previousYear", s.cycleStart().getYear() - 1);
        model.addAttribute("byYear", byYear);
        model.addAttribute("entries", entries);
        model.addAttribute("categories", Category.values());
        model.addAttribute("levels", Level.values());
        model.addAttribute("modes", Mode.values());
        model.addAttribute("topics", judged.ruleSet().rules().topics());
        model.addAttribute("today", LocalDate.now(CreditLedger.ZONE));
        model.addAttribute("ref", java.util.UUID.randomUUID()); // a form posted twice counts once
        return "credit/archive";
    }

    // ---- compliance down the tree ----------------------------------------------------------------------------------

    @GetMapping("/credit/compliance")
    String compliance(@RequestParam(required = false) String unit,
                      @RequestParam(required = false) Standing.Status status,
                      @RequestParam(defaultValue = "1") int page, Model model) {
        Scope scope = CurrentUser.adminScope();
        try {
            Compliance.Rates rates = compliance.rates(unit, scope);
            model.addAttribute("rates", rates);
            model.addAttribute("page", compliance.list(rates, status, scope, page, PAGE));
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            Compliance.Rates rates = compliance.rates(null, scope);
            model.addAttribute("rates", rates);
            model.addAttribute("page", compliance.list(rates, status, scope, page, PAGE));
        }
        model.addAttribute("unit", unit);
        model.addAttribute("status", status);
        model.addAttribute("statuses", Standing.Status.values());
        return "credit/compliance";
    }

    @PostMapping("/credit/compliance/reminders")
    String remind(@RequestParam(required = false) String unit, @RequestParam(required = false) Standing.Status status,
                  @RequestParam(required = false) String note, Model model, RedirectAttributes redirect) {
        Scope scope = CurrentUser.adminScope();
        try {
            Compliance.Reminded r = compliance.remind(unit, status, note, scope, CurrentUser.get().displayName());
            redirect.addFlashAttribute("reminded", new Object[] {r.sent(), r.skipped()});
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return compliance(unit, status, 1, model);
        }
        redirect.addAttribute("unit", unit);
        redirect.addAttribute("status", status);
        return "redirect:/credit/compliance";
    }

    @Configuration(proxyBeanMethods = false)
    static class Navigation {
        @Bean
        NavigationEntry myCreditsNavigation() {
            return new NavigationEntry("nav.myCredits", "/my/credits", EnumSet.of(Role.TEACHER), 4);
        }

        @Bean
        NavigationEntry complianceNavigation() {
            return new NavigationEntry("nav.credits", "/credit/compliance", Role.ADMINS, 55);
        }
    }
}
