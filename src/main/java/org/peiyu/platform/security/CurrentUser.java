package org.peiyu.platform.security;

import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The user of the current request. */
public final class CurrentUser {
    private CurrentUser() {
    }

    public static Optional<PeiyuUser> find() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof PeiyuUser u ? Optional.of(u) : Optional.empty();
    }

    public static PeiyuUser get() {
        return find().orElseThrow(() -> new IllegalStateException("No signed-in user"));
    }

    public static Scope scope() {
        return find().map(PeiyuUser::scope).orElse(Scope.NONE);
    }
}
