package org.peiyu.assessment;

import java.io.IOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.peiyu.directory.SchoolType;
import org.peiyu.framework.FrameworkItem;
import org.peiyu.framework.Frameworks;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Teachers take assessments and see their results; admins launch campaigns and read their dashboards. */
@Controller
class AssessmentWeb {

    private final Campaigns campaigns;
    private final ItemBank bank;
    private final Frameworks frameworks;

    AssessmentWeb(Campaigns campaigns, ItemBank bank, Frameworks frameworks) {
        this.campaigns = campaigns;
        this.bank = bank;
        this.frameworks = frameworks;
    }

    private static long teacherId() {
        Long id = CurrentUser.get().teacherId();
        if (id == null) {
            throw new NotFoundException();
        }
        return id;
    }

    private static boolean english() {
        return "en".equals(LocaleContextHolder.getLocale().getLanguage());
    }

    // ---- teachers --------------------------------------------------------------------------------------------

    @GetMapping("/my/assessments")
    String mine(Model model) {
        model.addAttribute("campaigns", campaigns.mine(teacherId()));
        return "assessment/mine";
    }

    @GetMapping("/my/assessments/{id}")
    String sheet(@PathVariable long id, Model model) {
        Campaigns.Sheet sheet = campaigns.sheet(id, teacherId());
        if (sheet.submitted()) {
            return "redirect:/my/assessments/" + id + "/result";
        }
        model.addAttribute("sheet", sheet);
        model.addAttribute("english", english());
        return "assessment/sheet";
    }

    /** Saves what is answered so far; from htmx, answers with the time it was saved. */
    @PostMapping("/my/assessments/{id}/save")
    String save(@PathVariable long id, HttpServletRequest request, Model model,
                @RequestHeader(value = "HX-Request", required = false) String htmx) {
        try {
            model.addAttribute("savedAt", campaigns.save(id, teacherId(), answers(request)));
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            if (htmx == null) {
                return sheetWithProblems(id, model, request);
            }
        }
        return htmx != null ? "assessment/sheet :: saved" : "redirect:/my/assessments/" + id;
    }

    @PostMapping("/my/assessments/{id}/submit")
    String submit(@PathVariable long id, HttpServletRequest request, Model model) {
        try {
            campaigns.submit(id, teacherId(), answers(request));
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return sheetWithProblems(id, model, request);
        }
        return "redirect:/my/assessments/" + id + "/result";
    }

    private String sheetWithProblems(long id, Model model, HttpServletRequest request) {
        Campaigns.Sheet sheet = campaigns.sheet(id, teacherId());
        Map<Long, List<String>> typed = new HashMap<>();
        try {
            typed = answers(request);
        } catch (BadInputException ignored) {
            // show what was saved before
        }
        model.addAttribute("sheet", new Campaigns.Sheet(sheet.campaign(), sheet.items(),
                typed.isEmpty() ? sheet.answers() : typed, sheet.savedAt(), sheet.submitted()));
        model.addAttribute("english", english());
        return "assessment/sheet";
    }

    static Map<Long, List<String>> answers(HttpServletRequest request) {
        return ItemBank.answers(request.getParameterMap());
    }

    @GetMapping("/my/assessments/{id}/result")
    String result(@PathVariable long id, Model model) {
        Campaigns.Result r = campaigns.result(id, teacherId());
        List<FrameworkItem> items = frameworks.items(r.frameworkId());
        boolean english = english();
        model.addAttribute("r", r);
        model.addAttribute("items", items);
        model.addAttribute("english", english);
        List<FrameworkItem> dims = items.stream().filter(i -> i.parentId() == null).toList();
        List<Map<String, Object>> radar = new ArrayList<>();
        for (FrameworkItem d : dims) {
            radar.add(Map.of("name", d.name(english), "value", r.scores().getOrDefault(d.identifier(), 0.0)));
        }
        model.addAttribute("radar", ItemBank.JSON.writeValueAsString(radar));
        List<FrameworkItem> indicators = items.stream()
                .filter(i -> r.explanation().containsKey(i.identifier())).toList();
        Comparator<FrameworkItem> byScore = Comparator.comparing(i -> r.scores().get(i.identifier()));
        model.addAttribute("strengths", indicators.stream().sorted(byScore.reversed()).limit(3).toList());
        model.addAttribute("gaps", indicators.stream().sorted(byScore).limit(3).toList());
        return "assessment/result";
    }

    // ---- admins ----------------------------------------------------------------------------------------------

    @GetMapping("/campaigns")
    String campaigns(Model model) {
        PeiyuUser me = CurrentUser.get();
        model.addAttribute("campaigns", campaigns.list(CurrentUser.adminScope()));
        model.addAttribute("instruments", bank.instruments());
        model.addAttribute("schoolTypes", SchoolType.values());
        model.addAttribute("defaultUnit", me.grants().stream().map(g -> g.unitPath()).filter(p -> !p.isEmpty())
                .map(p -> p.substring(p.lastIndexOf('/', p.length() - 2) + 1, p.length() - 1)).findFirst().orElse(""));
        return "assessment/campaigns";
    }

    @PostMapping("/campaigns")
    String launch(@RequestParam(required = false) String title, @RequestParam(required = false) Long instrumentId,
                  @RequestParam(required = false) String unitCode,
                  @RequestParam(required = false) List<SchoolType> schoolTypes,
                  @RequestParam(required = false) String subject,
                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime opensAt,
                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime closesAt,
                  @RequestParam(required = false) Double passMin, @RequestParam(required = false) Double goodMin,
                  @RequestParam(required = false) Double excellentMin, Model model, RedirectAttributes redirect) {
        CurrentUser.adminScope();
        try {
            long id = campaigns.launch(new Campaigns.Form(title, instrumentId, unitCode, schoolTypes, subject, opensAt,
                    closesAt, passMin, goodMin, excellentMin), CurrentUser.adminScope(), CurrentUser.get().getUsername());
            redirect.addFlashAttribute("notice", "assessment.launched");
            return "redirect:/campaigns/" + id;
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return campaigns(model);
        }
    }

    @GetMapping("/campaigns/{id}")
    String dashboard(@PathVariable long id, @RequestParam(required = false) String unit,
                     @RequestParam(defaultValue = "UNIT") Campaigns.By by, Model model) {
        Campaigns.Dashboard d = campaigns.dashboard(id, CurrentUser.adminScope(), unit, by);
        model.addAttribute("d", d);
        model.addAttribute("bys", Campaigns.By.values());
        model.addAttribute("english", english());
        model.addAttribute("unit", unit);
        return "assessment/dashboard";
    }

    @GetMapping("/campaigns/{id}/export.xlsx")
    void export(@PathVariable long id, HttpServletResponse response) throws IOException {
        campaigns.export(id, CurrentUser.adminScope(), LocaleContextHolder.getLocale(),
                XlsxExport.attachment(response, "campaign-" + id + ".xlsx"));
    }

    // ---- item bank -------------------------------------------------------------------------------------------

    @GetMapping("/item-bank")
    String bank(Model model) {
        CurrentUser.adminScope();
        Map<UUID, String> codes = new HashMap<>();
        frameworks.list().forEach(f -> frameworks.items(f.id()).forEach(i -> codes.putIfAbsent(i.identifier(),
                i.code())));
        model.addAttribute("items", bank.items());
        model.addAttribute("codes", codes);
        model.addAttribute("instruments", bank.instruments());
        model.addAttribute("frameworks", frameworks.list().stream()
                .filter(f -> f.status() != org.peiyu.framework.Framework.Status.RETIRED).toList());
        model.addAttribute("kinds", AssessmentItem.Kind.values());
        model.addAttribute("english", english());
        return "assessment/bank";
    }

    /** Options are typed one a line: key|text|score (scale, scenario) or key|text|* for a correct choice. */
    @PostMapping("/item-bank/items")
    String addItem(@RequestParam(required = false) String code, @RequestParam(required = false) AssessmentItem.Kind kind,
                   @RequestParam(required = false) String stem, @RequestParam(required = false) String options,
                   @RequestParam(required = false) Long frameworkId, @RequestParam(required = false) String indicators,
                   Model model, RedirectAttributes redirect) {
        CurrentUser.adminScope();
        try {
            if (frameworkId == null) {
                throw new BadInputException("frameworkId", "error.required");
            }
            bank.addItem(code == null ? null : code.strip(), kind, stem, null, parseOptions(options), frameworkId,
                    indicators == null ? List.of() : Arrays.stream(indicators.split("[,，;；\\s]+"))
                            .filter(s -> !s.isBlank()).toList(), false, CurrentUser.get().getUsername());
            redirect.addFlashAttribute("notice", "action.saved");
            return "redirect:/item-bank";
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return bank(model);
        }
    }

    static List<AssessmentItem.Option> parseOptions(String text) {
        List<AssessmentItem.Option> options = new ArrayList<>();
        if (text == null) {
            return options;
        }
        int line = 0;
        for (String raw : text.split("\\R")) {
            line++;
            if (raw.isBlank()) {
                continue;
            }
            String[] parts = raw.split("\\|", -1);
            if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new BadInputException("options", "assessment.error.optionLine", line);
            }
            String mark = parts.length > 2 ? parts[2].strip() : "";
            Integer score = null;
            if (!mark.isEmpty() && !mark.equals("*")) {
                try {
                    score = Integer.parseInt(mark);
                } catch (NumberFormatException e) {
                    throw new BadInputException("options", "assessment.error.optionLine", line);
                }
            }
            options.add(new AssessmentItem.Option(parts[0].strip(), parts[1].strip(), null, score, mark.equals("*")));
        }
        return options;
    }

    @PostMapping("/item-bank/instruments")
    String addInstrument(@RequestParam(required = false) String title, @RequestParam(required = false) Long frameworkId,
                         @RequestParam(required = false) List<Long> items, HttpServletRequest request, Model model,
                         RedirectAttributes redirect) {
        CurrentUser.adminScope();
        try {
            if (frameworkId == null) {
                throw new BadInputException("frameworkId", "error.required");
            }
            Map<Long, Double> weights = new HashMap<>();
            for (Long item : items == null ? List.<Long>of() : items) {
                String w = request.getParameter("w" + item);
                if (w != null && !w.isBlank()) {
                    try {
                        weights.put(item, Double.parseDouble(w));
                    } catch (NumberFormatException e) {
                        throw new BadInputException("weights", "assessment.error.weight");
                    }
                }
            }
            bank.addInstrument(title, frameworkId, items, weights, false, CurrentUser.get().getUsername());
            redirect.addFlashAttribute("notice", "action.saved");
            return "redirect:/item-bank";
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return bank(model);
        }
    }
}

@Configuration(proxyBeanMethods = false)
class AssessmentNavigation {

    @Bean
    NavigationEntry myAssessmentsNav() {
        return new NavigationEntry("nav.myAssessments", "/my/assessments", EnumSet.of(Role.TEACHER), 2);
    }

    @Bean
    NavigationEntry campaignsNav() {
        return new NavigationEntry("nav.campaigns", "/campaigns", Role.ADMINS, 40);
    }

    @Bean
    NavigationEntry itemBankNav() {
        return new NavigationEntry("nav.itemBank", "/item-bank", Role.ADMINS, 45);
    }
}
