package org.peiyu.assessment;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import org.peiyu.framework.FrameworkItem;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NavigationEntry;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Rubric pages for region admins: the rubrics in force at a unit, editing one point, import and export. */
@Controller
class RubricWeb {

    /** Rows offered on the edit form: the point's criteria plus this many blank ones. */
    private static final int BLANK_ROWS = 2;
    static final EnumSet<Role> EDITORS = EnumSet.of(Role.SYSTEM_ADMIN, Role.PROVINCE_ADMIN, Role.CITY_ADMIN,
            Role.DISTRICT_ADMIN);

    private final Rubrics rubrics;

    RubricWeb(Rubrics rubrics) {
        this.rubrics = rubrics;
    }

    /** The unit the page works on: the one asked for, else the admin's first unit (the root for system admins). */
    private static String unit(String unit) {
        if (EDITORS.stream().noneMatch(CurrentUser.get()::has)) {
            throw new NotFoundException(); // rubrics are a region's rule; schools see them while grading
        }
        Scope scope = CurrentUser.adminScope();
        if (unit != null && !unit.isBlank()) {
            return unit.strip();
        }
        if (scope.all()) {
            return "";
        }
        String first = scope.unitPaths().stream().findFirst().orElseThrow(NotFoundException::new);
        String[] codes = first.substring(1).split("/");
        return codes[codes.length - 1];
    }

    private String path(String unit) {
        try {
            return rubrics.unitPath(unit, CurrentUser.adminScope());
        } catch (BadInputException e) {
            throw new NotFoundException();
        }
    }

    @GetMapping("/reviews/rubrics")
    String list(@RequestParam(required = false) String unit, Model model) {
        String code = unit(unit);
        String path = path(code);
        model.addAttribute("unit", code);
        model.addAttribute("points", rubrics.points());
        model.addAttribute("rubrics", rubrics.inForce(path));
        model.addAttribute("english", "en".equals(LocaleContextHolder.getLocale().getLanguage()));
        model.addAttribute("rubricSource", rubrics);
        return "assessment/rubrics";
    }

    @GetMapping("/reviews/rubrics/export")
    void export(@RequestParam(required = false) String unit, HttpServletResponse response) throws IOException {
        String path = path(unit(unit));
        rubrics.export(path, LocaleContextHolder.getLocale(), XlsxExport.attachment(response, "rubrics.xlsx"));
    }

    @PostMapping("/reviews/rubrics/import")
    String importTable(@RequestParam(required = false) String unit, @RequestParam(required = false) MultipartFile file,
                       RedirectAttributes redirect) throws IOException {
        String code = unit(unit);
        try {
            if (file == null || file.isEmpty()) {
                throw new BadInputException("file", "file.error.empty");
            }
            try (InputStream in = file.getInputStream()) {
                int points = rubrics.importTable(code, in, CurrentUser.adminScope(), CurrentUser.get().getUsername());
                redirect.addFlashAttribute("imported", points);
            }
        } catch (BadInputException e) {
            redirect.addFlashAttribute("problems", e.problems());
        }
        return "redirect:/reviews/rubrics?unit=" + code;
    }

    @GetMapping("/reviews/rubrics/{point}")
    String edit(@PathVariable UUID point, @RequestParam(required = false) String unit, Model model) {
        String code = unit(unit);
        FrameworkItem item = rubrics.points().stream().filter(p -> p.identifier().equals(point)).findFirst()
                .orElseThrow(NotFoundException::new);
        Rubrics.Rubric rubric = rubrics.inForce(path(code)).get(point);
        List<Rubrics.Criterion> rows = new ArrayList<>(rubric == null ? List.of() : rubric.criteria());
        for (int i = 0; i < BLANK_ROWS; i++) {
            rows.add(new Rubrics.Criterion(null, "", "", ""));
        }
        model.addAttribute("unit", code);
        model.addAttribute("item", item);
        model.addAttribute("rubric", rubric);
        model.addAttribute("rows", rows);
        model.addAttribute("forms", EvidenceReview.Form.values());
        model.addAttribute("english", "en".equals(LocaleContextHolder.getLocale().getLanguage()));
        model.addAttribute("rubricSource", rubrics);
        return "assessment/rubric";
    }

    /** Saves the rows that name a form; rows left without one are dropped. */
    @PostMapping("/reviews/rubrics/{point}")
    String save(@PathVariable UUID point, @RequestParam(required = false) String unit,
                @RequestParam(name = "form", required = false) List<String> forms,
                @RequestParam(name = "excellent", required = false) List<String> excellent,
                @RequestParam(name = "pass", required = false) List<String> pass,
                @RequestParam(name = "fail", required = false) List<String> fail, RedirectAttributes redirect) {
        String code = unit(unit);
        List<Rubrics.Criterion> criteria = new ArrayList<>();
        int n = forms == null ? 0 : forms.size();
        for (int i = 0; i < n; i++) {
            if (forms.get(i) == null || forms.get(i).isBlank()) {
                continue;
            }
            EvidenceReview.Form form;
            try {
                form = EvidenceReview.Form.valueOf(forms.get(i));
            } catch (IllegalArgumentException e) {
                form = null;
            }
            criteria.add(new Rubrics.Criterion(form, at(excellent, i), at(pass, i), at(fail, i)));
        }
        try {
            rubrics.define(point, code, criteria, CurrentUser.adminScope(), CurrentUser.get().getUsername());
            redirect.addFlashAttribute("notice", "action.saved");
            return "redirect:/reviews/rubrics?unit=" + code;
        } catch (BadInputException e) {
            redirect.addFlashAttribute("problems", e.problems());
            return "redirect:/reviews/rubrics/" + point + "?unit=" + code;
        }
    }

    @PostMapping("/reviews/rubrics/{point}/inherit")
    String inherit(@PathVariable UUID point, @RequestParam(required = false) String unit,
                   RedirectAttributes redirect) {
        String code = unit(unit);
        try {
            rubrics.inherit(point, code, CurrentUser.adminScope(), CurrentUser.get().getUsername());
            redirect.addFlashAttribute("notice", "rubric.inherited");
        } catch (BadInputException e) {
            redirect.addFlashAttribute("problems", e.problems());
        }
        return "redirect:/reviews/rubrics?unit=" + code;
    }

    private static String at(List<String> values, int i) {
        return values != null && i < values.size() ? values.get(i) : null;
    }
}

@Configuration(proxyBeanMethods = false)
class RubricNavigation {
    @Bean
    NavigationEntry rubricsNav() {
        return new NavigationEntry("nav.rubrics", "/reviews/rubrics", RubricWeb.EDITORS, 43);
    }
}
