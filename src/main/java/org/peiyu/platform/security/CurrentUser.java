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

    /** The signed-in teacher's own record: what "my" pages show; anyone without one gets 404. */
    public static long teacherId() {
        Long id = find().map(PeiyuUser::teacherId).orElse(null);
        if (id == null) {
            throw new org.peiyu.platform.web.NotFoundException();
        }
        return id;
    }

    public static Scope scope() {
        return find().map(PeiyuUser::scope).orElse(Scope.NONE);
    }

    /**
     * The units the user administers, without their own teacher record: what admin lists and changes work on.
     * Someone who administers nothing gets 404, as for anything else they may not see.
     */
    public static Scope adminScope() {
        Scope scope = scope();
        if (!scope.isAdmin()) {
            throw new org.peiyu.platform.web.NotFoundException();
        }
        return new Scope(scope.all(), scope.unitPaths(), null);
    }
}
