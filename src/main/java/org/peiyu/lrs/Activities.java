package org.peiyu.lrs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.peiyu.platform.security.Scope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;

/**
 * What the store knows of each activity: definitions from statements merged per tenant, for the Activities resource.
 * Most statements repeat a definition sent before, so a short-lived cache of what was last merged (a digest of it,
 * small enough to hold a large catalogue's activities) lets those batches skip the database; the rest are merged in
 * one upsert, rows taken in id order so concurrent batches cannot deadlock.
 */
@Component
class Activities {

    private static final int CACHE_SIZE = 250_000;
    /** Another node may merge other definitions meanwhile: what is cached is trusted this long. */
    private static final long CACHE_MILLIS = 60_000;

    /** Of an activity: the digest of the definition last merged, the stored definition's type. */
    private record Known(long digest, String type, long until) {
    }

    private final JdbcClient jdbc;
    private final Map<String, Known> cache = new Lru<>(CACHE_SIZE);

    Activities(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Merges the definitions sent in one transaction (activity id → latest definition in the batch). */
    void learn(Map<String, JsonNode> definitions, String tenant) {
        Map<String, String> changed = new TreeMap<>();
        Map<String, Long> digests = new HashMap<>();
        long now = System.currentTimeMillis();
        definitions.forEach((id, def) -> {
            String text = Statements.JSON.writeValueAsString(def);
            long digest = digest(text);
            Known k;
            synchronized (cache) {
                k = cache.get(tenant + '\n' + id);
            }
            if (k == null || k.until() < now || k.digest() != digest) {
                changed.put(id, text);
                digests.put(id, digest);
            }
        });
        if (changed.isEmpty()) {
            return;
        }
        Map<String, String> types = new HashMap<>();
        jdbc.sql("""
                INSERT INTO xapi_activity (tenant, id, definition)
                SELECT ?, id, definition FROM unnest(?::text[], ?::jsonb[]) AS t(id, definition) ORDER BY id
                ON CONFLICT (tenant, id) DO UPDATE SET definition = xapi_merge(xapi_activity.definition,
                  EXCLUDED.definition)
                RETURNING id, definition->>'type'""")
                .params(tenant, changed.keySet().toArray(String[]::new), changed.values().toArray(String[]::new))
                .query(rs -> {
                    types.put(rs.getString(1), rs.getString(2));
                });
        // remembered only once committed: a rolled-back batch stored nothing
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                long until = System.currentTimeMillis() + CACHE_MILLIS;
                synchronized (cache) {
                    types.forEach((id, type) -> cache.put(tenant + '\n' + id, new Known(digests.get(id), type,
                            until)));
                }
            }
        });
    }

    /** 64 bits of the SHA-256 of a definition's text: a changed definition is never taken for the cached one. */
    private static long digest(String text) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(h).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The type of an activity as stored for a tenant (for mapping rules when a statement omits it). */
    String type(String activityId, String tenant) {
        synchronized (cache) {
            Known k = cache.get(tenant + '\n' + activityId);
            if (k != null && k.until() >= System.currentTimeMillis()) {
                return k.type();
            }
        }
        return jdbc.sql("SELECT definition->>'type' FROM xapi_activity WHERE tenant = ? AND id = ?")
                .params(tenant, activityId).query(String.class).optional().orElse(null);
    }

    /** The latest definition stored for an activity in a tenant subtree. */
    Optional<JsonNode> definition(String activityId, String scopePath) {
        return jdbc.sql("SELECT definition::text FROM xapi_activity WHERE id = ? AND tenant LIKE ? LIMIT 1")
                .params(activityId, Scope.escapeLike(scopePath) + "%").query(String.class).optional()
                .map(Statements.JSON::readTree);
    }
}
