package org.peiyu.credit;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;
import org.peiyu.credit.CreditApplications.Claim;
import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NavigationEntry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ContentDisposition;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Credit applications: the teacher's claims with proof, and the admins' review queue. */
@Controller
class CreditApplicationWeb {

    private final CreditApplications applications;
    private final RuleSets ruleSets;
    private final org.peiyu.directory.Teachers teachers;

    CreditApplicationWeb(CreditApplications applications, RuleSets ruleSets, org.peiyu.directory.Teachers teachers) {
        this.applications = applications;
        this.ruleSets = ruleSets;
        this.teachers = teachers;
    }

    @GetMapping("/my/credits/applications")
    String mine(Model model) {
        model.addAttribute("applications", applications.mine(CurrentUser.teacherId()));
        model.addAttribute("categories", Category.values());
        model.addAttribute("levels", Level.values());
        model.addAttribute("modes", Mode.values());
        long me = CurrentUser.teacherId();
        model.addAttribute("topics", ruleSets.applicable(teachers.paths(List.of(me)).get(me), LocalDate.now(
                CreditLedger.ZONE)).rules().topics());
        model.addAttribute("today", LocalDate.now(CreditLedger.ZONE));
        return "credit/my-applications";
    }

    @PostMapping("/my/credits/applications")
    String submit(@RequestParam(required = false) String title, @RequestParam(required = false) String organiser,
                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate occurred,
                  @RequestParam(required = false) BigDecimal hours, @RequestParam(required = false) Category category,
                  @RequestParam(required = false) Level level, @RequestParam(required = false) Mode mode,
                  @RequestParam(required = false) String topic, @RequestParam(required = false) MultipartFile proof, Model model, RedirectAttributes redirect)
            throws IOException {
        try {
            applications.submit(CurrentUser.teacherId(), new Claim(title, organiser, occurred, hours, category, level,
                    mode == null ? Mode.THEORY : mode, topic), proof == null ? null : proof.getOriginalFilename(),
                    proof == null ? null : proof.getBytes());
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return mine(model);
        }
        redirect.addFlashAttribute("notice", "credit.application.submitted");
        return "redirect:/my/credits/applications";
    }

    @GetMapping("/credit/applications")
    String pending(@RequestParam(defaultValue = "false") boolean all, Model model) {
        PeiyuUser admin = CurrentUser.get();
        model.addAttribute("applications", all ? applications.all(CurrentUser.adminScope())
                : applications.pending(admin, CurrentUser.adminScope()));
        model.addAttribute("all", all);
        model.addAttribute("ruleSets", ruleSets); // the topics' labels, by the rule set of each teacher
        model.addAttribute("today", LocalDate.now(CreditLedger.ZONE));
        return "credit/applications";
    }

    @PostMapping("/credit/applications/{id}/decision")
    String decide(@PathVariable long id, @RequestParam(defaultValue = "false") boolean approve,
                  @RequestParam(required = false) String reason, Model model, RedirectAttributes redirect) {
        try {
            CreditApplications.Status s = applications.decide(id, approve, reason, CurrentUser.get(),
                    CurrentUser.adminScope());
            redirect.addFlashAttribute("notice", "credit.application.decided." + s);
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return pending(false, model);
        }
        return "redirect:/credit/applications";
    }

    @GetMapping({"/credit/applications/{id}/proof", "/my/credits/applications/{id}/proof"})
    void proof(@PathVariable long id, HttpServletResponse response) throws IOException {
        PeiyuUser user = CurrentUser.get();
        CreditApplications.Proof p = applications.proof(id, user.teacherId(), user.scope());
        response.setContentType(p.contentType());
        response.setHeader("Content-Disposition", ContentDisposition.attachment()
                .filename(p.fileName(), StandardCharsets.UTF_8).build().toString());
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.getOutputStream().write(p.content());
    }


    @Configuration(proxyBeanMethods = false)
    static class Navigation {
        @Bean
        NavigationEntry myApplicationsNavigation() {
            return new NavigationEntry("nav.myApplications", "/my/credits/applications", EnumSet.of(Role.TEACHER), 4);
        }

        @Bean
        NavigationEntry applicationsNavigation() {
            return new NavigationEntry("nav.applications", "/credit/applications", org.peiyu.platform.security.Role.ADMINS, 55);
        }
    }
}
