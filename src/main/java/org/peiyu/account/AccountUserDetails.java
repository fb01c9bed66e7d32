package org.peiyu.account;

import java.time.OffsetDateTime;
import java.util.List;

import org.peiyu.platform.security.Grant;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/** Loads an account with its grants for sign-in and for API tokens. */
@Component
class AccountUserDetails implements UserDetailsService {

    private final JdbcClient jdbc;

    AccountUserDetails(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public PeiyuUser loadUserByUsername(String username) {
        return jdbc.sql("SELECT id FROM account WHERE username = ?").param(username.trim()).query(Long.class)
                .optional().map(this::load).orElseThrow(() -> new UsernameNotFoundException("unknown"));
    }

    PeiyuUser load(long accountId) {
        List<Grant> grants = jdbc.sql("SELECT role, unit_path FROM account_grant WHERE account_id = ? ORDER BY role")
                .param(accountId)
                .query((rs, n) -> new Grant(Role.valueOf(rs.getString(1)), rs.getString(2))).list();
        return jdbc.sql("SELECT id, username, password_hash, display_name, teacher_id, enabled, locked_until "
                        + "FROM account WHERE id = ?")
                .param(accountId)
                .query((rs, n) -> {
                    OffsetDateTime lockedUntil = rs.getObject("locked_until", OffsetDateTime.class);
                    return new PeiyuUser(rs.getLong("id"), rs.getString("username"), rs.getString("password_hash"),
                            rs.getString("display_name"), grants, (Long) rs.getObject("teacher_id"),
                            rs.getBoolean("enabled"), lockedUntil != null && lockedUntil.isAfter(OffsetDateTime.now()));
                })
                .single();
    }
}
