package org.peiyu.lrs;

import java.util.LinkedHashMap;
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
 * Most statements repeat a definition already stored, so a short-lived cache of stored definitions lets those batches
 * skip the database; the rest are merged in one upsert, rows taken in id order so concurrent batches cannot deadlock.
 */
@Component
class Activities {

    private static final int CACHE_SIZE = 50_000;
    private static final long CACHE_MILLIS = 60_000;

    private record Known(JsonNode definition, long until) {
    }

    private final JdbcClient jdbc;
    private final Map<String, Known> cache = new Lru<>(CACHE_SIZE);

    Activities(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Merges the definitions sent in one transaction (activity id → latest definition in the batch). */
    void learn(Map<String, JsonNode> definitions, String tenant) {
        Map<String, JsonNode> changed = new TreeMap<>();
        long now = System.currentTimeMillis();
        synchronized (cache) {
            definitions.forEach((id, def) -> {
                Known k = cache.get(tenant + '\n' + id);
                if (k == null || k.until() < now || !Statements.merge(k.definition(), def).equals(k.definition())) {
                    changed.put(id, def);
                }
            });
        }
        if (changed.isEmpty()) {
            return;
        }
        Map<String, JsonNode> stored = new LinkedHashMap<>();
        jdbc.sql("""
                INSERT INTO xapi_activity (tenant, id, definition)
                SELECT ?, id, definition FROM unnest(?::text[], ?::jsonb[]) AS t(id, definition) ORDER BY id
                ON CONFLICT (tenant, id) DO UPDATE SET definition = xapi_merge(xapi_activity.definition,
                  EXCLUDED.definition)
                RETURNING id, definition::text""")
                .params(tenant, changed.keySet().toArray(String[]::new),
                        changed.values().stream().map(Statements.JSON::writeValueAsString).toArray(String[]::new))
                .query(rs -> {
                    stored.put(rs.getString(1), Statements.JSON.readTree(rs.getString(2)));
                });
        // remembered only once committed: a rolled-back batch stored nothing
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                long until = System.currentTimeMillis() + CACHE_MILLIS;
                synchronized (cache) {
                    stored.forEach((id, def) -> cache.put(tenant + '\n' + id, new Known(def, until)));
                }
            }
        });
    }

    /** The type of an activity as stored for a tenant (for mapping rules when a statement omits it). */
    String type(String activityId, String tenant) {
        synchronized (cache) {
            Known k = cache.get(tenant + '\n' + activityId);
            if (k != null && k.until() >= System.currentTimeMillis()) {
                return k.definition().path("type").asString(null);
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
