package org.peiyu.lrs;

import java.util.Enumeration;
import java.util.Locale;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The statement formats of a GET: exact (as stored), ids (identities only), canonical (one language). */
final class Formats {

    private Formats() {
    }

    static JsonNode apply(JsonNode s, String format, Enumeration<Locale> locales) {
        return switch (format) {
            case "ids" -> ids((ObjectNode) s.deepCopy());
            case "canonical" -> canonical(s.deepCopy(), java.util.Collections.list(locales));
            default -> s;
        };
    }

    private static JsonNode ids(ObjectNode s) {
        agentIds(s, "actor");
        agentIds(s, "authority");
        if (s.path("verb").isObject()) {
            ((ObjectNode) s.get("verb")).retain("id");
        }
        JsonNode o = s.path("object");
        if (o.isObject()) {
            String type = o.path("objectType").asString("Activity");
            switch (type) {
                case "Activity" -> ((ObjectNode) o).retain("id");
                case "Agent", "Group" -> agentIds(s, "object");
                case "SubStatement" -> ids((ObjectNode) o);
                default -> { }
            }
        }
        JsonNode c = s.path("context");
        if (c.isObject()) {
            agentIds((ObjectNode) c, "instructor");
            agentIds((ObjectNode) c, "team");
            for (JsonNode list : c.path("contextActivities")) {
                (list.isArray() ? list : java.util.List.of(list)).forEach(a -> ((ObjectNode) a).retain(
                        "id"));
            }
        }
        return s;
    }

    private static void agentIds(ObjectNode parent, String field) {
        JsonNode a = parent.path(field);
        if (!a.isObject()) {
            return;
        }
        ObjectNode agent = (ObjectNode) a;
        boolean anonymousGroup = Statements.agentKey(agent) == null;
        agent.remove("name");
        if (!anonymousGroup) {
            agent.remove("member");
        } else {
            for (JsonNode m : agent.path("member")) {
                ((ObjectNode) m).remove("name");
            }
        }
    }

    /** Keeps one entry of each language map: the reader's language if there, else the first. */
    private static JsonNode canonical(JsonNode n, java.util.List<Locale> locales) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            for (var e : o.properties()) {
                String k = e.getKey();
                // language maps are objects; an agent's name is a string and stays
                if ((k.equals("display") || k.equals("name") || k.equals("description")) && e.getValue().isObject()) {
                    e.setValue(pick((ObjectNode) e.getValue(), locales));
                } else {
                    canonical(e.getValue(), locales);
                }
            }
        } else if (n.isArray()) {
            n.forEach(c -> canonical(c, locales));
        }
        return n;
    }

    private static JsonNode pick(ObjectNode map, java.util.List<Locale> locales) {
        for (Locale l : locales) {
            // the exact tag first (en-GB before en), then the same language
            for (boolean exact : new boolean[] {true, false}) {
                for (var e : map.properties()) {
                    String k = e.getKey().toLowerCase(Locale.ROOT);
                    if (exact ? k.equalsIgnoreCase(l.toLanguageTag())
                            : k.equals(l.getLanguage()) || k.startsWith(l.getLanguage() + "-")) {
                        ObjectNode one = Statements.JSON.createObjectNode();
                        one.set(e.getKey(), e.getValue());
                        return one;
                    }
                }
            }
        }
        ObjectNode one = Statements.JSON.createObjectNode();
        map.properties().stream().findFirst().ifPresent(e -> one.set(e.getKey(), e.getValue()));
        return one;
    }
}
