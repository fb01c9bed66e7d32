package org.peiyu.framework;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.peiyu.platform.web.BadInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * 1EdTech CASE 1.1 packages (CFPackage JSON): a CFDocument, its CFItems and the CFAssociations between them.
 * The tree is carried by isChildOf associations; associations to items of other documents are crosswalks. What CASE
 * has no field for (English names, how sure a wording is) travels in the items' {@code extensions.peiyu}.
 */
final class CaseFormat {

    static final Set<String> ASSOCIATION_TYPES = Set.of("isChildOf", "isPeerOf", "isPartOf", "exactMatchOf",
            "precedes", "isRelatedTo", "replacedBy", "exemplar", "hasSkillLevel", "isTranslationOf");
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaseFormat() {
    }

    /** Reads a package, or names the first thing wrong with it by its JSON path. */
    static FrameworkDraft read(InputStream in) {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JacksonException e) {
            throw new BadInputException("file", "framework.error.json");
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException("file", "framework.error.json");
        }
        JsonNode doc = root.path("CFDocument");
        if (!doc.isObject()) {
            throw new BadInputException("CFDocument", "framework.error.missing", "CFDocument");
        }
        UUID docId = uuid(doc, "identifier", "CFDocument");
        String title = required(doc, "title", "CFDocument");
        JsonNode docExt = doc.path("extensions").path("peiyu");
        JsonNode itemsNode = root.path("CFItems");
        if (!itemsNode.isArray() || itemsNode.isEmpty()) {
            throw new BadInputException("CFItems", "framework.error.missing", "CFItems");
        }
        Map<UUID, JsonNode> items = new LinkedHashMap<>();
        for (int i = 0; i < itemsNode.size(); i++) {
            String path = "CFItems[" + i + "]";
            JsonNode item = itemsNode.get(i);
            if (!item.isObject()) {
                throw new BadInputException(path, "framework.error.notObject", path);
            }
            UUID id = uuid(item, "identifier", path);
            required(item, "fullStatement", path);
            if (items.put(id, item) != null) {
                throw new BadInputException(path + ".identifier", "framework.error.duplicate", path + ".identifier");
            }
        }
        Map<UUID, UUID> parent = new HashMap<>();
        Map<UUID, Integer> sequence = new HashMap<>();
        List<FrameworkDraft.Crosswalk> crosswalks = new ArrayList<>();
        JsonNode associations = root.path("CFAssociations");
        for (int i = 0; i < associations.size(); i++) {
            String path = "CFAssociations[" + i + "]";
            JsonNode a = associations.get(i);
            String type = required(a, "associationType", path);
            if (!ASSOCIATION_TYPES.contains(type)) {
                throw new BadInputException(path + ".associationType", "framework.error.associationType", type);
            }
            UUID origin = uuid(a.path("originNodeURI"), "identifier", path + ".originNodeURI");
            UUID destination = uuid(a.path("destinationNodeURI"), "identifier", path + ".destinationNodeURI");
            if (!items.containsKey(origin)) {
                throw new BadInputException(path + ".originNodeURI", "framework.error.unknownItem", origin);
            }
            if (type.equals("isChildOf") && (items.containsKey(destination) || destination.equals(docId))) {
                if (parent.containsKey(origin)) {
                    throw new BadInputException(path, "framework.error.twoParents", origin);
                }
                parent.put(origin, destination.equals(docId) ? null : destination);
                sequence.put(origin, a.path("sequenceNumber").asInt(Integer.MAX_VALUE));
            } else if (items.containsKey(destination)) {
                continue; // an association inside the document other than the tree: not kept
            } else {
                crosswalks.add(new FrameworkDraft.Crosswalk(origin, destination, type));
            }
        }
        // tree order: parents before children, siblings by sequenceNumber then by position in the file
        List<UUID> order = new ArrayList<>(items.keySet());
        Map<UUID, Integer> position = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), i);
        }
        Map<UUID, List<UUID>> children = new HashMap<>();
        for (UUID id : order) {
            children.computeIfAbsent(parent.get(id), k -> new ArrayList<>()).add(id);
        }
        children.values().forEach(list -> list.sort(Comparator.comparing((UUID id) -> sequence.getOrDefault(id,
                Integer.MAX_VALUE)).thenComparing(position::get)));
        List<FrameworkDraft.Item> out = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        walk(null, children, items, out, seen, "");
        if (seen.size() != items.size()) {
            UUID stray = items.keySet().stream().filter(id -> !seen.contains(id)).findFirst().orElseThrow();
            throw new BadInputException("CFAssociations", "framework.error.cycle", stray);
        }
        return new FrameworkDraft(docId, text(docExt, "key", title), text(doc, "version", "1"), title,
                text(docExt, "titleEn", null), text(doc, "creator", null), text(doc, "notes", null), out, crosswalks);
    }

    private static void walk(UUID node, Map<UUID, List<UUID>> children, Map<UUID, JsonNode> items,
                             List<FrameworkDraft.Item> out, Set<UUID> seen, String prefix) {
        int n = 0;
        for (UUID id : children.getOrDefault(node, List.of())) {
            if (!seen.add(id)) {
                continue;
            }
            n++;
            JsonNode item = items.get(id);
            JsonNode ext = item.path("extensions").path("peiyu");
            String code = text(item, "humanCodingScheme", prefix + n);
            out.add(new FrameworkDraft.Item(id, node, code, text(item, "CFItemType", "Item"),
                    item.path("fullStatement").asString(), text(ext, "fullStatementEn", null), text(item, "notes", null),
                    text(ext, "verification", null), ext.path("verified").asBoolean(true)));
            walk(id, children, items, out, seen, code + ".");
        }
    }

    /** Writes a stored framework version, with its crosswalks, as a CASE 1.1 package. */
    static void write(Framework f, List<FrameworkItem> items, List<FrameworkDraft.Crosswalk> crosswalks,
                      OutputStream out) throws IOException {
        String changed = (f.publishedAt() != null ? f.publishedAt() : f.createdAt()).withOffsetSameInstant(ZoneOffset.UTC)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        ObjectNode root = JSON.createObjectNode();
        ObjectNode doc = root.putObject("CFDocument");
        doc.put("identifier", f.identifier().toString());
        doc.put("uri", urn(f.identifier()));
        doc.put("creator", f.publisher() == null ? "Peiyu" : f.publisher());
        doc.put("title", f.title());
        doc.put("lastChangeDateTime", changed);
        doc.put("version", f.version());
        doc.put("adoptionStatus", switch (f.status()) {
            case DRAFT -> "Draft";
            case PUBLISHED -> "Adopted";
            case RETIRED -> "Deprecated";
        });
        doc.put("language", "zh");
        if (f.provenance() != null) {
            doc.put("notes", f.provenance());
        }
        ObjectNode docExt = doc.putObject("extensions").putObject("peiyu");
        docExt.put("key", f.key());
        if (f.titleEn() != null) {
            docExt.put("titleEn", f.titleEn());
        }
        Map<Long, FrameworkItem> byId = new HashMap<>();
        items.forEach(i -> byId.put(i.id(), i));
        ArrayNode cfItems = root.putArray("CFItems");
        ArrayNode cfAssociations = root.putArray("CFAssociations");
        Map<Long, Integer> siblings = new HashMap<>();
        for (FrameworkItem i : items) {
            ObjectNode item = cfItems.addObject();
            item.put("identifier", i.identifier().toString());
            item.put("uri", urn(i.identifier()));
            link(item.putObject("CFDocumentURI"), f.title(), f.identifier());
            item.put("fullStatement", i.name());
            item.put("humanCodingScheme", i.code());
            item.put("CFItemType", i.type());
            item.put("language", "zh");
            item.put("lastChangeDateTime", changed);
            if (i.description() != null) {
                item.put("notes", i.description());
            }
            ObjectNode ext = item.putObject("extensions").putObject("peiyu");
            if (i.nameEn() != null) {
                ext.put("fullStatementEn", i.nameEn());
            }
            if (i.verification() != null) {
                ext.put("verification", i.verification());
            }
            ext.put("verified", i.verified());
            FrameworkItem parent = i.parentId() == null ? null : byId.get(i.parentId());
            int seq = siblings.merge(i.parentId() == null ? 0L : i.parentId(), 1, Integer::sum);
            association(cfAssociations, "isChildOf", i.identifier(), i.name(),
                    parent == null ? f.identifier() : parent.identifier(), parent == null ? f.title() : parent.name(),
                    seq, f, changed);
        }
        for (FrameworkDraft.Crosswalk c : crosswalks) {
            association(cfAssociations, c.type(), c.origin(), null, c.destination(), null, null, f, changed);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(out, root);
    }

    private static void association(ArrayNode list, String type, UUID origin, String originTitle, UUID destination,
                                    String destinationTitle, Integer sequence, Framework f, String changed) {
        ObjectNode a = list.addObject();
        UUID id = UUID.nameUUIDFromBytes((type + origin + destination).getBytes(StandardCharsets.UTF_8));
        a.put("identifier", id.toString());
        a.put("uri", urn(id));
        a.put("associationType", type);
        if (sequence != null) {
            a.put("sequenceNumber", sequence);
        }
        link(a.putObject("originNodeURI"), originTitle, origin);
        link(a.putObject("destinationNodeURI"), destinationTitle, destination);
        link(a.putObject("CFDocumentURI"), f.title(), f.identifier());
        a.put("lastChangeDateTime", changed);
    }

    private static void link(ObjectNode node, String title, UUID id) {
        node.put("title", title == null ? id.toString() : title);
        node.put("identifier", id.toString());
        node.put("uri", urn(id));
    }

    private static String urn(UUID id) {
        return "urn:uuid:" + id;
    }

    private static UUID uuid(JsonNode node, String field, String path) {
        String value = required(node, field, path);
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(path + "." + field, "framework.error.uuid", path + "." + field);
        }
    }

    private static String required(JsonNode node, String field, String path) {
        JsonNode v = node.path(field);
        if (!v.isString() || v.asString().isBlank()) {
            throw new BadInputException(path + "." + field, "framework.error.missing", path + "." + field);
        }
        return v.asString().strip();
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.path(field);
        return v.isString() && !v.asString().isBlank() ? v.asString() : fallback;
    }
}
