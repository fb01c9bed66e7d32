package org.peiyu.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Bearer tokens for integrations. A token acts with its account's grants; it is shown once, stored as a SHA-256
 * hash (it is random, so a fast hash is enough), and can be revoked at any time.
 */
@Service
public class ApiTokens {

    private static final String PREFIX = "py_";
    private final JdbcClient jdbc;
    private final AccountUserDetails accounts;
    private final AuditLog audit;
    private final SecureRandom random = new SecureRandom();

    ApiTokens(JdbcClient jdbc, AccountUserDetails accounts, AuditLog audit) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.audit = audit;
    }

    /** Creates a token for the user's own account and returns its secret, which is not kept. */
    @Transactional
    public String create(PeiyuUser owner, String name) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > 80) {
            throw new BadInputException("name", "token.error.name");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long id = jdbc.sql("INSERT INTO api_token (account_id, name, token_hash, prefix) VALUES (?, ?, ?, ?) RETURNING id")
                .params(owner.accountId(), clean, sha256(token), token.substring(0, 8)).query(Long.class).single();
        audit.record("token.create", "api_token", id, null, clean);
        return token;
    }

    public List<Token> list(PeiyuUser owner) {
        return jdbc.sql("SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_token "
                        + "WHERE account_id = ? ORDER BY created_at DESC")
                .param(owner.accountId()).query(Token.class).list();
    }

    @Transactional
    public void revoke(PeiyuUser owner, long id) {
        int n = jdbc.sql("UPDATE api_token SET revoked_at = now() WHERE id = ? AND account_id = ? AND revoked_at IS NULL")
                .params(id, owner.accountId()).update();
        if (n == 0) {
            throw new NotFoundException();
        }
        audit.record("token.revoke", "api_token", id, null, null);
    }

    /** The user a presented token acts as, if the token is known, not revoked, and its account enabled. */
    Optional<PeiyuUser> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        return jdbc.sql("UPDATE api_token SET last_used_at = now() WHERE token_hash = ? AND revoked_at IS NULL "
                        + "RETURNING account_id")
                .param(sha256(token)).query(Long.class).optional()
                .map(accounts::load)
                .filter(u -> u.isEnabled() && u.isAccountNonLocked());
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token as listed to its owner; the secret is never shown again. */
    public record Token(long id, String name, String prefix, OffsetDateTime createdAt, OffsetDateTime lastUsedAt,
                        OffsetDateTime revokedAt) {
    }
}
