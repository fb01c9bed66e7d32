package org.peiyu.platform.notification;

import java.util.EnumSet;

import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.web.NavigationEntry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

/** A teacher's notifications: the newest first; reading the page does not mark them, the button does. */
@Controller
class NotificationWeb {

    private final Notifications notifications;

    NotificationWeb(Notifications notifications) {
        this.notifications = notifications;
    }

    @GetMapping("/my/notifications")
    String list(Model model) {
        model.addAttribute("notifications", notifications.of(CurrentUser.teacherId(), 100));
        return "platform/notifications";
    }

    @PostMapping("/my/notifications/read")
    String read() {
        notifications.readAll(CurrentUser.teacherId());
        return "redirect:/my/notifications";
    }


    @Configuration(proxyBeanMethods = false)
    static class Navigation {
        @Bean
        NavigationEntry notificationsNavigation() {
            return new NavigationEntry("nav.notifications", "/my/notifications", EnumSet.of(Role.TEACHER), 1);
        }
    }
}
