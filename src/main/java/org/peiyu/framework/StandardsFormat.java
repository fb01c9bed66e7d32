package org.peiyu.framework;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads the standards as the project keeps them in {@code shared/standards} (and ships them as default data): a
 * tree of items with code, Chinese and English name, and a note of how sure each one is.
 */
final class StandardsFormat {

    private StandardsFormat() {
    }

    /**
     * @param key   the framework across versions
     * @param types the item type of each level, from the top
     */
    static FrameworkDraft read(InputStream in, String key, String version, List<String> types) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        List<FrameworkDraft.Item> items = new ArrayList<>();
        JsonNode top = root.has("items") ? root.path("items") : root.path("levels");
        for (JsonNode node : top) {
            add(node, null, key, 0, types, items);
        }
        StringBuilder provenance = new StringBuilder(text(root, "provenance", text(root, "verification", "")));
        if (root.has("selection_rule")) {
            provenance.append(" | ").append(text(root.path("selection_rule"), "note", ""));
        }
        return new FrameworkDraft(identifier(key + ":" + version), key, version, text(root, "name", key),
                text(root, "name_en", null), text(root, "issuer", text(root, "policy_basis", null)),
                provenance.toString(), items, List.of());
    }

    private static void add(JsonNode node, UUID parent, String key, int depth, List<String> types,
                            List<FrameworkDraft.Item> out) {
        String code = text(node, "code", null);
        UUID id = identifier(key + ":" + code);
        String verification = text(node, "verification", null);
        String description = text(node, "description", null);
        if (node.has("dimension")) { // micro-capabilities sit in a grid: environment × dimension
            description = join(text(node, "dimension", null) + " / " + text(node, "dimension_en", ""), description);
        }
        out.add(new FrameworkDraft.Item(id, parent, code, types.get(Math.min(depth, types.size() - 1)),
                text(node, "name", code), text(node, "name_en", null), description, verification,
                verification != null && verification.startsWith("confirmed")));
        for (JsonNode child : node.path("children")) {
            add(child, id, key, depth + 1, types, out);
        }
    }

    private static String join(String a, String b) {
        return b == null || b.isBlank() ? a : a + "; " + b;
    }

    /** The stable identifier of a shipped item: the same on every installation. */
    static UUID identifier(String name) {
        return UUID.nameUUIDFromBytes(("peiyu:" + name).getBytes(StandardCharsets.UTF_8));
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.path(field);
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(x.asString()));
            return String.join("; ", parts);
        }
        return v.isMissingNode() || v.isNull() ? fallback : v.asString();
    }
}
