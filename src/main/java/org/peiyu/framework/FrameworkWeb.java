package org.peiyu.framework;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletResponse;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
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

/** Browse frameworks as trees; administrators import, export, publish and link them. */
@Controller
class FrameworkWeb {

    private final Frameworks frameworks;

    FrameworkWeb(Frameworks frameworks) {
        this.frameworks = frameworks;
    }

    @GetMapping("/frameworks")
    String list(Model model) {
        model.addAttribute("frameworks", frameworks.list());
        model.addAttribute("canManage", Frameworks.canManage(CurrentUser.get()));
        return "framework/frameworks";
    }

    @GetMapping("/frameworks/{id}")
    String tree(@PathVariable long id, Model model) {
        Framework f = frameworks.get(id);
        PeiyuUser me = CurrentUser.get();
        model.addAttribute("f", f);
        model.addAttribute("items", frameworks.items(id));
        model.addAttribute("english", "en".equals(LocaleContextHolder.getLocale().getLanguage()));
        model.addAttribute("canManage", Frameworks.canManage(me));
        Map<java.util.UUID, List<Frameworks.CrosswalkView>> crosswalks = frameworks.crosswalks(id).stream()
                .collect(Collectors.groupingBy(Frameworks.CrosswalkView::item));
        model.addAttribute("crosswalks", crosswalks);
        model.addAttribute("others", frameworks.list().stream().filter(o -> o.id() != id).toList());
        model.addAttribute("associationTypes", CaseFormat.ASSOCIATION_TYPES.stream().filter(t -> !t.equals("isChildOf"))
                .sorted().toList());
        return "framework/framework";
    }

    @PostMapping("/frameworks/import")
    String importFile(@RequestParam(required = false) Frameworks.Format format,
                      @RequestParam(required = false) MultipartFile file, @RequestParam(required = false) String key,
                      @RequestParam(required = false) String version, @RequestParam(required = false) String title,
                      @RequestParam(required = false) String titleEn, Model model, RedirectAttributes redirect)
            throws IOException {
        PeiyuUser me = CurrentUser.get();
        if (!Frameworks.canManage(me)) {
            throw new NotFoundException();
        }
        try {
            if (format == null) {
                throw new BadInputException("format", "error.required");
            }
            if (file == null || file.isEmpty()) {
                throw new BadInputException("file", "file.error.empty");
            }
            try (InputStream in = file.getInputStream()) {
                long id = frameworks.importFile(format, in, key, version, title, titleEn, me);
                redirect.addFlashAttribute("notice", "framework.imported");
                return "redirect:/frameworks/" + id;
            }
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return list(model);
        }
    }

    @PostMapping("/frameworks/{id}/publish")
    String publish(@PathVariable long id, RedirectAttributes redirect) {
        frameworks.publish(id, CurrentUser.get());
        redirect.addFlashAttribute("notice", "framework.published");
        return "redirect:/frameworks/" + id;
    }

    @PostMapping("/frameworks/{id}/crosswalks")
    String addCrosswalk(@PathVariable long id, @RequestParam(required = false) String originCode,
                        @RequestParam(required = false) Long destinationFramework,
                        @RequestParam(required = false) String destinationCode,
                        @RequestParam(required = false) String type, RedirectAttributes redirect) {
        PeiyuUser me = CurrentUser.get();
        if (!Frameworks.canManage(me)) {
            throw new NotFoundException();
        }
        try {
            frameworks.addCrosswalk(id, originCode, destinationFramework == null ? -1 : destinationFramework,
                    destinationCode, type, me);
            redirect.addFlashAttribute("notice", "action.saved");
        } catch (BadInputException e) {
            redirect.addFlashAttribute("problems", e.problems());
        }
        return "redirect:/frameworks/" + id;
    }

    @GetMapping("/frameworks/{id}/export.json")
    void exportCase(@PathVariable long id, HttpServletResponse response) throws IOException {
        Framework f = frameworks.get(id);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Content-Disposition", attachment(f.key() + "-" + f.version() + ".case.json"));
        frameworks.export(id, Frameworks.Format.CASE, response.getOutputStream());
    }

    @GetMapping("/frameworks/{id}/export.csv")
    void exportCsv(@PathVariable long id, HttpServletResponse response) throws IOException {
        Framework f = frameworks.get(id);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", attachment(f.key() + "-" + f.version() + ".csv"));
        frameworks.export(id, Frameworks.Format.CSV, response.getOutputStream());
    }

    /** A file name may be Chinese: RFC 6266 with UTF-8. */
    private static String attachment(String fileName) {
        return org.springframework.http.ContentDisposition.attachment()
                .filename(fileName, java.nio.charset.StandardCharsets.UTF_8).build().toString();
    }
}

@Configuration(proxyBeanMethods = false)
class FrameworkNavigation {

    @Bean
    NavigationEntry frameworksNav() {
        return new NavigationEntry("nav.frameworks", "/frameworks", EnumSet.allOf(Role.class), 5);
    }
}
