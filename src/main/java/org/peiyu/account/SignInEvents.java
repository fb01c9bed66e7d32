package org.peiyu.account;

import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.security.PeiyuUser;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Audits every sign-in, and locks an account for {@code peiyu.security.lock-minutes} after
 * {@code peiyu.security.max-failures} wrong passwords in a row, against password guessing.
 */
@Component
class SignInEvents {

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final int maxFailures;
    private final int lockMinutes;

    SignInEvents(JdbcClient jdbc, AuditLog audit, @Value("${peiyu.security.max-failures:5}") int maxFailures,
                 @Value("${peiyu.security.lock-minutes:15}") int lockMinutes) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.maxFailures = maxFailures;
        this.lockMinutes = lockMinutes;
    }

    @EventListener
    @Transactional
    public void succeeded(AuthenticationSuccessEvent event) {
        if (event.getAuthentication().getPrincipal() instanceof PeiyuUser user
                && !(event.getAuthentication() instanceof ApiTokenAuthentication)) {
            String homePath = jdbc.sql("UPDATE account SET failed_attempts = 0, locked_until = NULL, "
                            + "last_sign_in = now() WHERE id = ? RETURNING home_path")
                    .param(user.accountId()).query(String.class).single();
            audit.record(user.accountId(), user.getUsername(), "signin.success", "account", user.accountId(),
                    homePath, null);
        }
    }

    @EventListener
    @Transactional
    public void failed(AbstractAuthenticationFailureEvent event) {
        String username = String.valueOf(event.getAuthentication().getPrincipal());
        var account = jdbc.sql("SELECT id, home_path FROM account WHERE username = ?").param(username)
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}).optional();
        if (event instanceof AuthenticationFailureBadCredentialsEvent && account.isPresent()) {
            jdbc.sql("""
                    UPDATE account SET failed_attempts = failed_attempts + 1,
                      locked_until = CASE WHEN failed_attempts + 1 >= ? THEN now() + make_interval(mins => ?)
                                          ELSE locked_until END
                    WHERE id = ?""").params(maxFailures, lockMinutes, account.get()[0]).update();
        }
        audit.record(account.map(a -> (Long) a[0]).orElse(null), username.length() > 100 ? username.substring(0, 100)
                        : username, "signin.failure", "account", account.map(a -> a[0]).orElse(null),
                account.map(a -> (String) a[1]).orElse(null), event.getException().getClass().getSimpleName());
    }
}
