package org.peiyu.credit;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletResponse;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NavigationEntry;
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

/** Importing training records: upload, preview with problems by row, apply once; template and error report. */
@Controller
class CreditImportWeb {

    private final CreditImports imports;

    CreditImportWeb(CreditImports imports) {
        this.imports = imports;
    }

    @GetMapping("/credit/imports")
    String index(Model model) {
        model.addAttribute("imports", imports.recent(CurrentUser.adminScope()));
        model.addAttribute("matches", CreditImports.Match.values());
        return "credit/imports";
    }

    @PostMapping("/credit/imports")
    String upload(@RequestParam(required = false) MultipartFile file,
                  @RequestParam(required = false) java.util.Set<CreditImports.Match> match, Model model)
            throws IOException {
        try {
            if (file == null || file.isEmpty()) {
                throw new BadInputException("file", "file.error.empty");
            }
            try (InputStream in = file.getInputStream()) {
                return "redirect:/credit/imports/" + imports.upload(file.getOriginalFilename(), in,
                        match == null || match.isEmpty() ? java.util.EnumSet.allOf(CreditImports.Match.class) : match,
                        CurrentUser.adminScope(), CurrentUser.get().getUsername());
            }
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return index(model);
        }
    }

    @GetMapping("/credit/imports/{id}")
    String preview(@PathVariable long id, Model model) {
        model.addAttribute("upload", imports.get(id, CurrentUser.adminScope()));
        model.addAttribute("rowProblems", imports.problems(id, CurrentUser.adminScope(),
                LocaleContextHolder.getLocale(), 200));
        return "credit/import";
    }

    @PostMapping("/credit/imports/{id}/apply")
    String apply(@PathVariable long id, Model model) {
        try {
            imports.apply(id, CurrentUser.adminScope(), CurrentUser.get().getUsername());
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return preview(id, model);
        }
        return "redirect:/credit/imports/" + id;
    }

    @GetMapping("/credit/imports/{id}/errors.xlsx")
    void errors(@PathVariable long id, HttpServletResponse response) throws IOException {
        imports.get(id, CurrentUser.adminScope());
        imports.errorReport(id, CurrentUser.adminScope(), LocaleContextHolder.getLocale(),
                XlsxExport.attachment(response, "training-import-" + id + "-errors.xlsx"));
    }

    @GetMapping("/credit/imports/template.xlsx")
    void template(HttpServletResponse response) throws IOException {
        CurrentUser.adminScope();
        imports.template(LocaleContextHolder.getLocale(), XlsxExport.attachment(response, "training-records.xlsx"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Navigation {
        @Bean
        NavigationEntry creditImportNavigation() {
            return new NavigationEntry("nav.creditImports", "/credit/imports", org.peiyu.platform.security.Role.ADMINS, 57);
        }
    }
}
