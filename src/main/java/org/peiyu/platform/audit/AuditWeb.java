package org.peiyu.platform.audit;

import java.util.Set;

import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.NavigationEntry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit log page: everything for system administrators, their subtree for region administrators. */
@Controller
class AuditWeb {

    private final AuditLog audit;
    private final org.springframework.context.MessageSource messages;

    AuditWeb(AuditLog audit, org.springframework.context.MessageSource messages) {
        this.audit = audit;
        this.messages = messages;
    }

    @GetMapping("/admin/audit")
    String page(@RequestParam(required = false) String action, Model model) {
        model.addAttribute("events", audit.recent(CurrentUser.adminScope(), action, 200));
        model.addAttribute("action", action);
        return "platform/audit";
    }

    /** The events the admin may see (at most 100 000, newest first) as .xlsx; exporting the log is itself logged. */
    @GetMapping("/admin/audit/export")
    void export(@RequestParam(required = false) String action, jakarta.servlet.http.HttpServletResponse response)
            throws java.io.IOException {
        Scope adminScope = CurrentUser.adminScope();
        var locale = org.springframework.context.i18n.LocaleContextHolder.getLocale();
        java.util.function.Function<String, String> m = key -> messages.getMessage(key, null, key, locale);
        var out = XlsxExport.attachment(response, "audit.xlsx");
        try (var x = new org.peiyu.platform.files.XlsxExport(out, m.apply("nav.audit"),
                java.util.List.of(m.apply("audit.at"), m.apply("audit.actor"), m.apply("audit.action"),
                        m.apply("audit.target"), m.apply("audit.detail"), "IP"))) {
            for (AuditLog.Event e : audit.recent(adminScope, action, 100_000)) {
                x.row(java.util.Arrays.asList(e.at().toLocalDateTime().toString(), e.actorName(), e.action(),
                        e.targetType() == null ? null : e.targetType() + " " + (e.targetId() == null ? "" : e.targetId()),
                        e.detail(), e.ip()));
            }
        }
        audit.record("audit.export", "audit_event", null,
                adminScope.all() ? "" : String.join(",", adminScope.unitPaths()),
                action);
    }
}

@Configuration(proxyBeanMethods = false)
class AuditNavigation {
    @Bean
    NavigationEntry auditNav() {
        return new NavigationEntry("nav.audit", "/admin/audit", Set.of(Role.SYSTEM_ADMIN, Role.PROVINCE_ADMIN,
                Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN), 95);
    }
}
