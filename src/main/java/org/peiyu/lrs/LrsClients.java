package org.peiyu.lrs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.Unit;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * LRS clients: the platforms that send statements (or read them), each with an HTTP Basic key and secret, bound to a
 * unit whose subtree is its tenant and scope, with read and write rights and a rate limit.
 */
@Service
public class LrsClients {

    public static final int DEFAULT_RATE = 60_000;
    private static final long CACHE_MILLIS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    public record Client(long id, String name, String apiKey, String unitPath, boolean canRead, boolean canWrite,
                         int ratePerMinute, String createdBy, OffsetDateTime createdAt, OffsetDateTime revokedAt) {
        public boolean active() {
            return revokedAt == null;
        }
    }

    /** A new client and its secret, shown once. */
    public record Created(Client client, String secret) {
    }

    private record Cached(Client client, byte[] secretHash, long until) {
    }

    private final JdbcClient jdbc;
    private final DirectoryTree tree;
    private final AuditLog audit;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<Long, RateLimiter> limits = new ConcurrentHashMap<>();

    LrsClients(JdbcClient jdbc, DirectoryTree tree, AuditLog audit) {
        this.jdbc = jdbc;
        this.tree = tree;
        this.audit = audit;
    }

    private static final String COLUMNS = "id, name, api_key, unit_path, can_read, can_write, rate_per_minute, "
            + "created_by, created_at, revoked_at";

    @Transactional
    public Created create(String name, String unitCode, boolean read, boolean write, Integer ratePerMinute,
                          Scope scope, String actor) {
        return create(name, unitCode, read, write, ratePerMinute, null, null, scope, actor);
    }

    /** A client with a given key and secret (the demo's, from configuration); a fresh random pair otherwise. */
    @Transactional
    public Created create(String name, String unitCode, boolean read, boolean write, Integer ratePerMinute,
                          String key, String secret, Scope scope, String actor) {
        BadInputException.Collector problems = new BadInputException.Collector();
        if (name == null || name.isBlank() || name.strip().length() > 100) {
            problems.add("name", "error.required");
        }
        Unit unit = unitCode == null ? null : tree.unit(unitCode.strip()).filter(u -> scope.covers(u.path()))
                .orElse(null);
        if (unit == null) {
            problems.add("unitCode", "account.error.unit");
        }
        if (!read && !write) {
            problems.add("rights", "lrs.error.rights");
        }
        int rate = ratePerMinute == null ? DEFAULT_RATE : ratePerMinute;
        if (rate < 1 || rate > 10_000_000) {
            problems.add("ratePerMinute", "lrs.error.rate");
        }
        problems.throwIfAny();
        String apiKey = key != null ? key : "lrs_" + random(12);
        String plain = secret != null ? secret : random(24);
        long id = jdbc.sql("""
                        INSERT INTO lrs_client (name, api_key, secret_sha256, unit_path, can_read, can_write,
                          rate_per_minute, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(name.strip(), apiKey, sha256(plain), unit.path(), read, write, rate, actor)
                .query(Long.class).single();
        audit.record(null, actor, "lrs.client.create", "lrs_client", id, unit.path(), name.strip());
        return new Created(get(id), plain);
    }

    public Optional<Client> byKey(String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM lrs_client WHERE api_key = ?").param(key).query(Client.class)
                .optional();
    }

    Client get(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM lrs_client WHERE id = ?").param(id).query(Client.class)
                .optional().orElseThrow(NotFoundException::new);
    }

    /** Clients an admin may see: those bound inside their scope. */
    public List<Client> list(Scope scope) {
        Scope.Sql s = scope.sql("unit_path", null);
        return jdbc.sql("SELECT " + COLUMNS + " FROM lrs_client WHERE " + s.clause() + " ORDER BY created_at DESC")
                .params(s.params()).query(Client.class).list();
    }

    @Transactional
    public void revoke(long id, Scope scope, String actor) {
        Client c = get(id);
        if (!scope.covers(c.unitPath())) {
            throw new NotFoundException();
        }
        jdbc.sql("UPDATE lrs_client SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL").param(id).update();
        cache.remove(c.apiKey());
        audit.record(null, actor, "lrs.client.revoke", "lrs_client", id, c.unitPath(), c.name());
    }

    /**
     * The active client with this key and secret. Checked against a short-lived cache so that a busy client does
     * not cost a query per request; a revocation takes effect on this node at once and on others within seconds.
     */
    Optional<Client> authenticate(String key, String secret) {
        long now = System.currentTimeMillis();
        Cached c = cache.get(key);
        if (c == null || c.until() < now) {
            var row = jdbc.sql("SELECT secret_sha256 FROM lrs_client WHERE api_key = ? AND revoked_at IS NULL")
                    .param(key).query(byte[].class).optional();
            if (row.isEmpty()) {
                cache.remove(key);
                return Optional.empty();
            }
            c = new Cached(byKey(key).orElseThrow(), row.get(), now + CACHE_MILLIS);
            cache.put(key, c);
        }
        return MessageDigest.isEqual(c.secretHash(), sha256(secret)) ? Optional.of(c.client()) : Optional.empty();
    }

    /** Whether the client may make another request now, under its rate limit. */
    boolean admit(Client c) {
        return limits.computeIfAbsent(c.id(), id -> new RateLimiter(c.ratePerMinute())).admit();
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token bucket refilled continuously at the per-minute rate, holding at most a minute's worth. */
    static final class RateLimiter {
        private final double perMilli;
        private final double capacity;
        private double tokens;
        private long last = System.currentTimeMillis();

        RateLimiter(int perMinute) {
            this.perMilli = perMinute / 60_000.0;
            this.capacity = perMinute;
            this.tokens = perMinute;
        }

        synchronized boolean admit() {
            long now = System.currentTimeMillis();
            tokens = Math.min(capacity, tokens + (now - last) * perMilli);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }
}
