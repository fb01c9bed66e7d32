package org.peiyu.platform.audit;

import java.util.Set;

import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.NavigationEntry;
import org.peiyu.platform.web.NotFoundException;
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

    AuditWeb(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/admin/audit")
    String page(@RequestParam(required = false) String action, Model model) {
        Scope scope = CurrentUser.scope();
        if (!scope.isAdmin()) {
            throw new NotFoundException();
        }
        model.addAttribute("events", audit.recent(new Scope(scope.all(), scope.unitPaths(), null), action, 200));
        model.addAttribute("action", action);
        return "platform/audit";
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
