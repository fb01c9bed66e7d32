package org.peiyu.platform.web;

import java.util.Comparator;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.peiyu.platform.notification.Notifications;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.PeiyuUser;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.stereotype.Controller;

/** What every page's layout needs: the user, their navigation and unread notifications, the demo banner. */
@ControllerAdvice(annotations = Controller.class)
class LayoutAdvice {

    private final List<NavigationEntry> entries;
    private final boolean demo;
    private final Notifications notifications;

    LayoutAdvice(List<NavigationEntry> entries, @Value("${peiyu.demo:false}") boolean demo,
                 Notifications notifications) {
        this.entries = entries.stream().sorted(Comparator.comparingInt(NavigationEntry::order)).toList();
        this.demo = demo;
        this.notifications = notifications;
    }

    /** A teacher's unread notifications, shown beside their name. */
    @ModelAttribute("unread")
    Integer unread() {
        return CurrentUser.find().filter(u -> u.teacherId() != null).map(u -> notifications.unread(u.teacherId()))
                .orElse(null);
    }

    @ModelAttribute("me")
    PeiyuUser me() {
        return CurrentUser.find().orElse(null);
    }

    @ModelAttribute("nav")
    List<NavigationEntry> nav() {
        return CurrentUser.find()
                .map(u -> entries.stream().filter(e -> e.roles().stream().anyMatch(u::has)).toList())
                .orElse(List.of());
    }

    @ModelAttribute("demoMode")
    boolean demoMode() {
        return demo;
    }

    @ModelAttribute("requestPath")
    String requestPath(HttpServletRequest request) {
        return request.getRequestURI();
    }
}
