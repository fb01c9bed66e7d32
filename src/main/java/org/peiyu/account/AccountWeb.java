package org.peiyu.account;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.SchoolQuery;
import org.peiyu.directory.TeacherQuery;
import org.peiyu.directory.TeacherStatus;
import org.peiyu.directory.Teachers;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NavigationEntry;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Sign-in, the home page of each role, one's own password and tokens, and account administration. */
@Controller
class AccountWeb {


    private final Accounts accounts;
    private final ApiTokens tokens;
    private final Teachers teachers;
    private final DirectoryTree tree;
    private final MessageSource messages;

    AccountWeb(Accounts accounts, ApiTokens tokens, Teachers teachers, DirectoryTree tree, MessageSource messages) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.teachers = teachers;
        this.tree = tree;
        this.messages = messages;
    }

    @GetMapping("/login")
    String login() {
        return "account/login";
    }

    @GetMapping("/")
    String home(Model model) {
        PeiyuUser me = CurrentUser.get();
        Scope scope = me.scope();
        if (scope.isAdmin()) {
            model.addAttribute("teacherCount", teachers.search(new TeacherQuery(null, null, null, null, null, null,
                    null, TeacherStatus.ACTIVE, null, 1, 1), scope).total());
            model.addAttribute("schoolCount", tree.schools(new SchoolQuery(null, null, null, null, 1, 1), scope).total());
            model.addAttribute("units", me.grants().stream()
                    .map(g -> tree.unitByPath(g.unitPath()).map(u -> u.name()).orElse(null))
                    .filter(n -> n != null).toList());
        }
        if (me.teacherId() != null) {
            model.addAttribute("self", teachers.get(me.teacherId(), scope));
        }
        return "account/home";
    }

    @GetMapping("/account/password")
    String passwordForm() {
        return "account/password";
    }

    @PostMapping("/account/password")
    String changePassword(@RequestParam(required = false) String current, @RequestParam(required = false) String password,
                          Model model, RedirectAttributes redirect) {
        try {
            accounts.changeOwnPassword(CurrentUser.get(), current, password);
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return "account/password";
        }
        redirect.addFlashAttribute("notice", "account.passwordChanged");
        return "redirect:/";
    }

    @GetMapping("/account/tokens")
    String tokens(Model model) {
        model.addAttribute("tokens", tokens.list(CurrentUser.get()));
        return "account/tokens";
    }

    @PostMapping("/account/tokens")
    String createToken(@RequestParam(required = false) String name, Model model) {
        try {
            model.addAttribute("newToken", tokens.create(CurrentUser.get(), name));
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
        }
        model.addAttribute("tokens", tokens.list(CurrentUser.get()));
        return "account/tokens";
    }

    @PostMapping("/account/tokens/{id}/revoke")
    String revokeToken(@PathVariable long id) {
        tokens.revoke(CurrentUser.get(), id);
        return "redirect:/account/tokens";
    }

    @GetMapping("/admin/accounts")
    String list(@RequestParam(required = false) String q, Model model) {
        CurrentUser.adminScope();
        model.addAttribute("accounts", accounts.list(CurrentUser.scope(), q));
        model.addAttribute("q", q);
        model.addAttribute("roles", creatableRoles());
        return "account/accounts";
    }

    @PostMapping("/admin/accounts")
    String create(@RequestParam(required = false) String username, @RequestParam(required = false) String displayName,
                  @RequestParam(required = false) String password, @RequestParam(required = false) Role role,
                  @RequestParam(required = false) String unitCode, @RequestParam(required = false) Long teacherId,
                  Model model, RedirectAttributes redirect) {
        CurrentUser.adminScope();
        try {
            accounts.create(username, displayName, password, role, unitCode, teacherId, CurrentUser.scope());
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            model.addAttribute("accounts", accounts.list(CurrentUser.scope(), null));
            model.addAttribute("roles", creatableRoles());
            model.addAttribute("form", java.util.Map.of("username", nz(username), "displayName", nz(displayName),
                    "unitCode", nz(unitCode), "role", role == null ? "" : role.name()));
            return "account/accounts";
        }
        redirect.addFlashAttribute("notice", "account.created");
        return "redirect:/admin/accounts";
    }

    /** Creates the missing teacher accounts under a unit and hands back their first passwords as .xlsx, once. */
    @PostMapping("/admin/accounts/teachers")
    void bulkTeachers(@RequestParam(required = false) String unitCode, HttpServletRequest request,
                      HttpServletResponse response) throws IOException {
        CurrentUser.adminScope();
        List<Accounts.Credential> created = accounts.createTeacherAccounts(unitCode, CurrentUser.scope());
        var locale = org.springframework.context.i18n.LocaleContextHolder.getLocale();
        var out = XlsxExport.attachment(response, "teacher-accounts.xlsx");
        try (XlsxExport x = new XlsxExport(out, "accounts",
                List.of(messages.getMessage("login.username", null, locale),
                        messages.getMessage("teacher.name", null, locale),
                        messages.getMessage("account.firstPassword", null, locale)))) {
            for (Accounts.Credential c : created) {
                x.row(List.of(c.username(), c.displayName(), c.password()));
            }
        }
    }

    @GetMapping("/admin/accounts/export")
    void export(@RequestParam(required = false) String q, HttpServletResponse response) throws IOException {
        CurrentUser.adminScope();
        var locale = org.springframework.context.i18n.LocaleContextHolder.getLocale();
        java.util.function.Function<String, String> m = key -> messages.getMessage(key, null, key, locale);
        var out = XlsxExport.attachment(response, "accounts.xlsx");
        try (XlsxExport x = new XlsxExport(out, m.apply("nav.accounts"),
                List.of(m.apply("login.username"), m.apply("account.displayName"), m.apply("account.grants"),
                        m.apply("account.lastSignIn"), m.apply("account.state")))) {
            for (Accounts.AccountRow a : accounts.list(CurrentUser.scope(), q)) {
                String grants = a.grants().stream().map(g -> m.apply("role." + g.role())
                        + (g.unitName() == null ? "" : " " + g.unitName())).collect(java.util.stream.Collectors.joining(", "));
                x.row(java.util.Arrays.asList(a.username(), a.displayName(), grants,
                        a.lastSignIn() == null ? null : a.lastSignIn().toLocalDateTime().toString(),
                        m.apply(!a.enabled() ? "account.disabled" : a.locked() ? "account.locked" : "account.active")));
            }
        }
    }

    @PostMapping("/admin/accounts/grants")
    String grant(@RequestParam(required = false) String username, @RequestParam(required = false) Role role,
                 @RequestParam(required = false) String unitCode, RedirectAttributes redirect) {
        try {
            accounts.grant(username, role, unitCode, CurrentUser.adminScope());
            redirect.addFlashAttribute("notice", "account.granted");
        } catch (BadInputException e) {
            redirect.addFlashAttribute("problems", e.problems());
        }
        return "redirect:/admin/accounts";
    }

    @PostMapping("/admin/accounts/{id}/reset")
    String reset(@PathVariable long id, RedirectAttributes redirect) {
        CurrentUser.adminScope();
        redirect.addFlashAttribute("resetPassword", accounts.resetPassword(id, CurrentUser.scope()));
        return "redirect:/admin/accounts";
    }

    @PostMapping("/admin/accounts/{id}/enabled")
    String enable(@PathVariable long id, @RequestParam boolean enabled) {
        CurrentUser.adminScope();
        accounts.setEnabled(id, enabled, CurrentUser.scope());
        return "redirect:/admin/accounts";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static List<Role> creatableRoles() {
        return CurrentUser.get().has(Role.SYSTEM_ADMIN) ? List.of(Role.values())
                : List.of(Role.PROVINCE_ADMIN, Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN, Role.REVIEWER,
                Role.TEACHER);
    }

}

@Configuration(proxyBeanMethods = false)
class AccountWebConfig implements WebMvcConfigurer {

    private final Accounts accounts;

    AccountWebConfig(Accounts accounts) {
        this.accounts = accounts;
    }

    @Bean
    NavigationEntry accountsNav() {
        return new NavigationEntry("nav.accounts", "/admin/accounts", Role.ADMINS, 80);
    }

    @Bean
    NavigationEntry tokensNav() {
        return new NavigationEntry("nav.tokens", "/account/tokens", Role.ADMINS, 90);
    }

    /** A first password handed out by an admin must be replaced before anything else. */
    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                    throws IOException {
                var user = CurrentUser.find();
                if (user.isPresent() && request.getMethod().equals("GET")
                        && accounts.mustChangePassword(user.get().accountId())) {
                    response.sendRedirect(request.getContextPath() + "/account/password");
                    return false;
                }
                return true;
            }
        }).excludePathPatterns("/account/password", "/login", "/logout", "/css/**", "/webjars/**", "/error",
                "/api/**");
    }
}
