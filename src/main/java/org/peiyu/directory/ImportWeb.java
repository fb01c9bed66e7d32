package org.peiyu.directory;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletResponse;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/** Upload a roster, watch it being checked, preview its problems, apply it, download the error report. */
@Controller
class ImportWeb {

    private final RosterImport imports;

    ImportWeb(RosterImport imports) {
        this.imports = imports;
    }

    @GetMapping("/imports")
    String index(Model model) {
        CurrentUser.adminScope();
        model.addAttribute("jobs", imports.recent(CurrentUser.get()));
        return "directory/imports";
    }

    @PostMapping("/imports")
    String upload(@RequestParam(required = false) RosterImport.Kind kind,
                  @RequestParam(required = false) MultipartFile file, Model model) throws IOException {
        CurrentUser.adminScope();
        try {
            if (kind == null) {
                throw new BadInputException("kind", "error.required");
            }
            if (file == null || file.isEmpty()) {
                throw new BadInputException("file", "file.error.empty");
            }
            try (InputStream in = file.getInputStream()) {
                long id = imports.upload(kind, file.getOriginalFilename(), in, CurrentUser.get());
                return "redirect:/imports/" + id;
            }
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return index(model);
        }
    }

    @GetMapping("/imports/{id}")
    String job(@PathVariable long id, @RequestParam(defaultValue = "1") int page, Model model,
               @RequestHeader(value = "HX-Request", required = false) String htmx) {
        RosterImport.Job job = imports.job(id, CurrentUser.get());
        model.addAttribute("job", job);
        if (job.status().equals("READY") || job.status().equals("DONE")) {
            model.addAttribute("problemsPage", imports.problems(id, CurrentUser.get(), page,
                    LocaleContextHolder.getLocale()));
        }
        return htmx != null ? "directory/import :: status" : "directory/import";
    }

    @PostMapping("/imports/{id}/apply")
    String apply(@PathVariable long id) {
        imports.applyLater(id, CurrentUser.get());
        return "redirect:/imports/" + id;
    }

    @GetMapping("/imports/{id}/errors.xlsx")
    void errors(@PathVariable long id, HttpServletResponse response) throws IOException {
        imports.job(id, CurrentUser.get());
        imports.errorReport(id, CurrentUser.get(), LocaleContextHolder.getLocale(),
                XlsxExport.attachment(response, "import-" + id + "-errors.xlsx"));
    }

    @GetMapping("/imports/template/{kind}.xlsx")
    void template(@PathVariable String kind, HttpServletResponse response) throws IOException {
        RosterImport.Kind k;
        try {
            k = RosterImport.Kind.valueOf(kind.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new NotFoundException();
        }
        imports.template(k, LocaleContextHolder.getLocale(),
                XlsxExport.attachment(response, k.name().toLowerCase() + "-template.xlsx"));
    }

}
