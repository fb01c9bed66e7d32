package org.peiyu.directory;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NavigationEntry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The directory's pages: teachers and schools, each list filtered to the user's scope. */
@Controller
class DirectoryWeb {


    private final Teachers teachers;
    private final DirectoryTree tree;

    DirectoryWeb(Teachers teachers, DirectoryTree tree) {
        this.teachers = teachers;
        this.tree = tree;
    }

    @GetMapping("/teachers")
    String teachers(@ModelAttribute("query") TeacherQuery query, Model model,
                    @RequestHeader(value = "HX-Request", required = false) String htmx) {
        Scope scope = CurrentUser.adminScope();
        model.addAttribute("page", teachers.search(query, scope));
        model.addAttribute("schools", tree.schoolChoices(scope, query.divisionCode()));
        model.addAttribute("divisions", tree.divisions(scope));
        model.addAttribute("enums", Map.of("titles", Title.values(), "ageBands", AgeBand.values(),
                "areaClasses", AreaClass.values(), "statuses", TeacherStatus.values(), "sorts", TeacherQuery.Sort.values()));
        return htmx != null ? "directory/teachers :: results" : "directory/teachers";
    }

    @GetMapping("/teachers/export")
    void export(@ModelAttribute TeacherQuery query, HttpServletResponse response) throws IOException {
        Scope scope = CurrentUser.adminScope();
        var out = XlsxExport.attachment(response, "teachers.xlsx");
        teachers.export(query, scope, LocaleContextHolder.getLocale(), out);
    }

    @GetMapping("/teachers/{id}")
    String teacher(@PathVariable long id, Model model) {
        TeacherDetail t = teachers.get(id, CurrentUser.scope());
        model.addAttribute("t", t);
        model.addAttribute("canEdit", CurrentUser.scope().covers(t.path()));
        model.addAttribute("statuses", TeacherStatus.values());
        return "directory/teacher";
    }

    /** Unmasked numbers, shown on request and audited. */
    @PostMapping("/teachers/{id}/reveal")
    String reveal(@PathVariable long id, Model model) {
        model.addAttribute("unmasked", teachers.reveal(id, CurrentUser.scope()));
        return teacher(id, model);
    }

    @GetMapping("/teachers/new")
    String newTeacher(Model model) {
        CurrentUser.adminScope();
        model.addAttribute("input", TeacherInput.empty());
        return form(model, null);
    }

    @PostMapping("/teachers/new")
    String create(@ModelAttribute("input") TeacherInput input, Model model, RedirectAttributes redirect) {
        try {
            long id = teachers.create(input, CurrentUser.adminScope());
            redirect.addFlashAttribute("notice", "action.saved");
            return "redirect:/teachers/" + id;
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return form(model, null);
        }
    }

    @GetMapping("/teachers/{id}/edit")
    String edit(@PathVariable long id, Model model) {
        TeacherDetail t = teachers.get(id, CurrentUser.adminScope());
        Teachers.Unmasked u = teachers.reveal(id, CurrentUser.adminScope()); // the edit form needs the full number: audited
        model.addAttribute("input", new TeacherInput(t.name(), u.idCard(), t.gender().name(), u.phone(), t.staffNo(),
                t.schoolCode(), String.join(",", t.subjects()), String.join(",", t.grades()),
                t.title() == null ? null : t.title().name(), t.post(), t.birthDate().toString(),
                t.teachingSince() == null ? null : t.teachingSince().toString(), t.status().name(),
                t.teachingGroup()));
        return form(model, id);
    }

    @PostMapping("/teachers/{id}/edit")
    String update(@PathVariable long id, @ModelAttribute("input") TeacherInput input, Model model,
                  RedirectAttributes redirect) {
        try {
            teachers.update(id, input, CurrentUser.adminScope());
            redirect.addFlashAttribute("notice", "action.saved");
            return "redirect:/teachers/" + id;
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return form(model, id);
        }
    }

    private String form(Model model, Long id) {
        model.addAttribute("id", id);
        model.addAttribute("schools", tree.schoolChoices(CurrentUser.adminScope(), null));
        model.addAttribute("titles", Title.values());
        model.addAttribute("statuses", TeacherStatus.values());
        return "directory/teacher-form";
    }

    @PostMapping("/teachers/{id}/transfer")
    String transfer(@PathVariable long id, @RequestParam(required = false) String toSchoolCode,
                    @RequestParam(required = false) String reason, RedirectAttributes redirect) {
        try {
            String code = Text.clean(toSchoolCode);
            if (code == null) {
                throw new BadInputException("toSchoolCode", "error.required");
            }
            long toSchoolId = tree.schoolByCode(code).filter(s -> CurrentUser.adminScope().covers(s.path())).map(School::id)
                    .orElseThrow(() -> new BadInputException("toSchoolCode", "teacher.error.unknownSchool", code));
            teachers.transfer(id, toSchoolId, reason, CurrentUser.adminScope());
            redirect.addFlashAttribute("notice", "teacher.transferred");
        } catch (BadInputException e) {
            redirect.addFlashAttribute("problems", e.problems());
        }
        return "redirect:/teachers/" + id;
    }

    @PostMapping("/teachers/{id}/status")
    String status(@PathVariable long id, @RequestParam TeacherStatus status, RedirectAttributes redirect) {
        teachers.setStatus(id, status, CurrentUser.adminScope());
        redirect.addFlashAttribute("notice", "action.saved");
        return "redirect:/teachers/" + id;
    }

    @GetMapping("/schools")
    String schools(@ModelAttribute("query") SchoolQuery query, Model model) {
        Scope scope = CurrentUser.adminScope();
        model.addAttribute("page", tree.schools(query, scope));
        model.addAttribute("divisions", tree.divisions(scope));
        model.addAttribute("types", SchoolType.values());
        model.addAttribute("areaClasses", AreaClass.values());
        return "directory/schools";
    }

    @GetMapping("/schools/export")
    void exportSchools(@ModelAttribute SchoolQuery query, HttpServletResponse response) throws IOException {
        Scope scope = CurrentUser.adminScope();
        var out = XlsxExport.attachment(response, "schools.xlsx");
        tree.exportSchools(query, scope, LocaleContextHolder.getLocale(), out);
    }

    @PostMapping("/schools/{id}/active")
    String setSchoolActive(@PathVariable long id, @RequestParam boolean active, RedirectAttributes redirect) {
        tree.setSchoolActive(id, active, CurrentUser.adminScope());
        redirect.addFlashAttribute("notice", "action.saved");
        return "redirect:/schools/" + id;
    }

    @GetMapping("/schools/{id}")
    String school(@PathVariable long id, Model model) {
        Scope scope = CurrentUser.adminScope();
        School s = tree.school(id, scope);
        model.addAttribute("form", new SchoolForm(s.code(), s.name(), s.divisionCode(), s.type(), s.areaClass(),
                s.address()));
        return schoolForm(model, id);
    }

    @GetMapping("/schools/new")
    String newSchool(Model model) {
        model.addAttribute("form", new SchoolForm(null, null, null, null, null, null));
        return schoolForm(model, null);
    }

    @PostMapping({"/schools/new", "/schools/{id}"})
    String saveSchool(@PathVariable(required = false) Long id, @ModelAttribute("form") SchoolForm form, Model model,
                      RedirectAttributes redirect) {
        try {
            long saved = tree.saveSchool(id, form, CurrentUser.adminScope());
            redirect.addFlashAttribute("notice", "action.saved");
            return "redirect:/schools/" + saved;
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return schoolForm(model, id);
        }
    }

    private String schoolForm(Model model, Long id) {
        model.addAttribute("id", id);
        if (id != null) {
            model.addAttribute("s", tree.school(id, CurrentUser.adminScope()));
        }
        model.addAttribute("districts", tree.divisions(CurrentUser.adminScope()).stream().filter(d -> d.level() == 3).toList());
        model.addAttribute("types", SchoolType.values());
        model.addAttribute("areaClasses", AreaClass.values());
        return "directory/school-form";
    }

}

@Configuration(proxyBeanMethods = false)
class DirectoryNavigation {
    @Bean
    NavigationEntry teachersNav() {
        return new NavigationEntry("nav.teachers", "/teachers", Role.ADMINS, 10);
    }

    @Bean
    NavigationEntry schoolsNav() {
        return new NavigationEntry("nav.schools", "/schools", Role.ADMINS, 20);
    }

    @Bean
    NavigationEntry importsNav() {
        return new NavigationEntry("nav.imports", "/imports", Role.ADMINS, 30);
    }
}
