package org.peiyu.lrs;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Peiyu's xAPI profile for teacher development (xAPI Profiles 1.0, JSON-LD): the verbs, activity types and
 * extensions learning platforms use to report attending training, completing courses, submitting artefacts, lesson
 * observation (听评课), study activities (教研) and resource use. Published as is at {@code /profiles/peiyu.jsonld};
 * the default mapping rules follow its statement templates.
 */
@Component
public class Profile {

    public static final String IRI = "https://w3id.org/xapi/peiyu";
    static final String HOURS = IRI + "/extensions/hours";
    static final String CATEGORY = IRI + "/extensions/category";
    static final String LEVEL = IRI + "/extensions/level";
    static final String INDICATOR = IRI + "/extensions/indicator";

    /** A verb, activity type, extension or statement template, with its labels by language. */
    public record Concept(String id, String type, Map<String, String> label, Map<String, String> definition) {
        public String label(Locale locale) {
            return pick(label, locale);
        }

        public String definition(Locale locale) {
            return pick(definition, locale);
        }
    }

    private final byte[] document;
    private final Map<String, Concept> concepts = new LinkedHashMap<>();

    Profile() throws IOException {
        try (InputStream in = Profile.class.getResourceAsStream("/lrs/peiyu-profile.jsonld")) {
            document = in.readAllBytes();
        }
        JsonNode root = Statements.JSON.readTree(document);
        for (String list : new String[] {"concepts", "templates"}) {
            for (JsonNode c : root.path(list)) {
                concepts.put(c.path("id").asString(), new Concept(c.path("id").asString(), c.path("type").asString(),
                        map(c.path("prefLabel")), map(c.path("definition"))));
            }
        }
    }

    /** The profile document, byte for byte. */
    public byte[] document() {
        return document.clone();
    }

    public List<Concept> concepts(String type) {
        List<Concept> out = new ArrayList<>();
        concepts.values().forEach(c -> {
            if (c.type().equals(type)) {
                out.add(c);
            }
        });
        return out;
    }

    /** A person's name for an IRI: the profile's label if it defines it, else the IRI's last segment. */
    public String label(String iri, Locale locale) {
        if (iri == null) {
            return null;
        }
        Concept c = concepts.get(iri);
        if (c != null) {
            return c.label(locale);
        }
        String tail = iri.replaceAll("/+$", "");
        return tail.substring(tail.lastIndexOf('/') + 1);
    }

    private static Map<String, String> map(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asString()));
        return m;
    }

    private static String pick(Map<String, String> map, Locale locale) {
        for (var e : map.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).startsWith(locale.getLanguage())) {
                return e.getValue();
            }
        }
        return map.isEmpty() ? "" : map.values().iterator().next();
    }
}
