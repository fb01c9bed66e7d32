package org.peiyu.directory;

import java.util.Set;

import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NavigationEntry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Pages for student teachers and for the divisions of the tree. */
@Controller
class PreServiceWeb {

    private final PreServiceTeachers preService;
    private final DirectoryTree tree;

    PreServiceWeb(PreServiceTeachers preService, DirectoryTree tree) {
        this.preService = preService;
        this.tree = tree;
    }

    @GetMapping("/pre-service")
    String list(@RequestParam(required = false) String text, @RequestParam(required = false) Integer page, Model model) {
        model.addAttribute("page", preService.search(text, page, CurrentUser.adminScope()));
        model.addAttribute("text", text);
        return "directory/pre-service";
    }

    @GetMapping("/pre-service/export")
    void export(@RequestParam(required = false) String text, jakarta.servlet.http.HttpServletResponse response)
            throws java.io.IOException {
        Scope scope = CurrentUser.adminScope();
        var out = XlsxExport.attachment(response, "pre-service-teachers.xlsx");
        preService.export(text, scope, org.springframework.context.i18n.LocaleContextHolder.getLocale(),
                out);
    }

    @GetMapping("/pre-service/new")
    String newForm(Model model) {
        model.addAttribute("input", PreServiceTeachers.Input.empty());
        return form(model, null);
    }

    @GetMapping("/pre-service/{id}")
    String edit(@PathVariable long id, Model model) {
        PreServiceTeachers.Row r = preService.get(id, CurrentUser.adminScope());
        model.addAttribute("input", new PreServiceTeachers.Input(r.name(), preService.revealIdCard(id, CurrentUser.adminScope()),
                r.studentNo(), r.university(), r.major(), r.expectedGraduation().toString(), r.divisionCode()));
        return form(model, id);
    }

    @PostMapping({"/pre-service/new", "/pre-service/{id}"})
    String save(@PathVariable(required = false) Long id, @ModelAttribute("input") PreServiceTeachers.Input input,
                Model model, RedirectAttributes redirect) {
        try {
            preService.save(id, input, CurrentUser.adminScope());
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return form(model, id);
        }
        redirect.addFlashAttribute("notice", "action.saved");
        return "redirect:/pre-service";
    }

    private String form(Model model, Long id) {
        model.addAttribute("id", id);
        model.addAttribute("divisions", tree.divisions(CurrentUser.adminScope()).stream().filter(d -> CurrentUser.adminScope().covers(d.path())).toList());
        return "directory/pre-service-form";
    }

    @GetMapping("/divisions")
    String divisions(Model model) {
        var divisions = tree.divisionsWithCounts(CurrentUser.adminScope());
        model.addAttribute("divisions", divisions);
        model.addAttribute("canCreate", CurrentUser.adminScope().all()
                || divisions.stream().anyMatch(c -> c.inScope() && c.division().level() < 3));
        return "directory/divisions";
    }

    @PostMapping("/divisions")
    String createDivision(@RequestParam(required = false) String code, @RequestParam(required = false) String name,
                          @RequestParam(required = false) String parentCode, Model model,
                          RedirectAttributes redirect) {
        try {
            tree.createDivision(code, name, parentCode, CurrentUser.adminScope());
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return divisions(model);
        }
        redirect.addFlashAttribute("notice", "action.saved");
        return "redirect:/divisions";
    }

}

@Configuration(proxyBeanMethods = false)
class PreServiceNavigation {
    private static final Set<Role> REGION_ADMINS = Set.of(Role.SYSTEM_ADMIN, Role.PROVINCE_ADMIN, Role.CITY_ADMIN,
            Role.DISTRICT_ADMIN);

    @Bean
    NavigationEntry preServiceNav() {
        return new NavigationEntry("nav.preService", "/pre-service", REGION_ADMINS, 15);
    }

    @Bean
    NavigationEntry divisionsNav() {
        return new NavigationEntry("nav.divisions", "/divisions", REGION_ADMINS, 25);
    }
}
