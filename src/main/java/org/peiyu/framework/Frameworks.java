package org.peiyu.framework;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The competency frameworks: stored versions, their item trees, publishing, crosswalks, and exchange as CASE 1.1
 * JSON or CSV. Everyone may read them; system administrators, and province administrators for the frameworks of their
 * province, may import and publish.
 */
@Service
public class Frameworks {

    /** The file formats a framework can be imported from and exported to. */
    public enum Format { CASE, CSV }

    /** The keys of the shipped standards: JY/T 0646—2022 and the micro-capabilities of 能力提升工程2.0. */
    public static final String DIGITAL_LITERACY = "jyt-0646-2022";
    public static final String MICRO_CAPABILITIES = "ntc-2.0-micro";

    private static final String FRAMEWORK_COLUMNS = """
            f.id, f.identifier, f.key, f.version, f.title, f.title_en, f.publisher, f.provenance, f.status,
            f.owner_path, f.created_by, f.created_at, f.published_at,
            (SELECT count(*) FROM framework_item i WHERE i.framework_id = f.id) AS item_count""";
    private static final String ITEM_COLUMNS = """
            i.id, i.framework_id, i.identifier, i.parent_id, i.code, i.level, i.item_type, i.name, i.name_en,
            i.description, i.verification, i.verified""";

    private final JdbcClient jdbc;
    private final AuditLog audit;

    Frameworks(JdbcClient jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    public List<Framework> list() {
        return jdbc.sql("SELECT " + FRAMEWORK_COLUMNS + " FROM framework f ORDER BY f.key, f.created_at DESC")
                .query(Frameworks::framework).list();
    }

    public Framework get(long id) {
        return jdbc.sql("SELECT " + FRAMEWORK_COLUMNS + " FROM framework f WHERE f.id = ?").param(id)
                .query(Frameworks::framework).optional().orElseThrow(NotFoundException::new);
    }

    /** The published version of a framework, by key. */
    public Optional<Framework> published(String key) {
        return jdbc.sql("SELECT " + FRAMEWORK_COLUMNS + " FROM framework f WHERE f.key = ? AND f.status = 'PUBLISHED'")
                .param(key).query(Frameworks::framework).optional();
    }

    /** The items of a version in tree order (each parent before its children, siblings in their order). */
    public List<FrameworkItem> items(long frameworkId) {
        return jdbc.sql("SELECT " + ITEM_COLUMNS + " FROM framework_item i WHERE i.framework_id = ? ORDER BY i.sort_order")
                .param(frameworkId).query(Frameworks::item).list();
    }

    /** An item by its identifier in the newest published version that has it, else the newest version. */
    public Optional<FrameworkItem> item(UUID identifier) {
        return jdbc.sql("SELECT " + ITEM_COLUMNS + " FROM framework_item i JOIN framework f "
                        + "ON f.id = i.framework_id WHERE i.identifier = ? "
                        + "ORDER BY (f.status = 'PUBLISHED') DESC, f.created_at DESC LIMIT 1")
                .param(identifier).query(Frameworks::item).optional();
    }

    /** Reads a file and stores it as a new draft version. */
    @Transactional
    public long importFile(Format format, InputStream in, String key, String version, String title, String titleEn,
                           PeiyuUser user) throws IOException {
        String owner = ownerPathFor(user);
        FrameworkDraft draft;
        if (format == Format.CASE) {
            draft = CaseFormat.read(in);
        } else {
            BadInputException.Collector problems = new BadInputException.Collector();
            if (blank(key)) {
                problems.add("key", "error.required");
            }
            if (blank(version)) {
                problems.add("version", "error.required");
            }
            if (blank(title)) {
                problems.add("title", "error.required");
            }
            problems.throwIfAny();
            draft = CsvFormat.read(in, key.strip(), version.strip(), title.strip(), blank(titleEn) ? null : titleEn.strip());
        }
        return store(draft, owner, user.getUsername());
    }

    /** Stores a draft as a new version (status DRAFT); the key and version must be new together. */
    @Transactional
    public long store(FrameworkDraft d, String ownerPath, String actor) {
        if (jdbc.sql("SELECT count(*) FROM framework WHERE key = ? AND version = ?").params(d.key(), d.version())
                .query(Long.class).single() > 0) {
            throw new BadInputException("version", "framework.error.versionExists", d.key(), d.version());
        }
        if (jdbc.sql("SELECT count(*) FROM framework WHERE identifier = ?").param(d.identifier()).query(Long.class)
                .single() > 0) {
            throw new BadInputException("CFDocument.identifier", "framework.error.documentExists", d.identifier());
        }
        Optional<Framework> existing = jdbc.sql("SELECT " + FRAMEWORK_COLUMNS + " FROM framework f WHERE f.key = ? "
                + "ORDER BY f.created_at LIMIT 1").param(d.key()).query(Frameworks::framework).optional();
        if (existing.isPresent() && !existing.get().ownerPath().equals(ownerPath) && !ownerPath.isEmpty()) {
            throw new BadInputException("key", "framework.error.notOwner", d.key());
        }
        long id = jdbc.sql("""
                        INSERT INTO framework (identifier, key, version, title, title_en, publisher, provenance,
                          owner_path, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(d.identifier(), d.key(), d.version(), d.title(), d.titleEn(), d.publisher(), d.provenance(),
                        existing.map(Framework::ownerPath).orElse(ownerPath), actor)
                .query(Long.class).single();
        Map<UUID, long[]> stored = new HashMap<>(); // identifier → {row id, level}
        int order = 0;
        for (FrameworkDraft.Item item : d.items()) {
            long[] parent = item.parent() == null ? null : stored.get(item.parent());
            if (item.parent() != null && parent == null) {
                throw new BadInputException("items", "framework.error.unknownItem", item.parent());
            }
            int level = parent == null ? 1 : (int) parent[1] + 1;
            long itemId = jdbc.sql("""
                            INSERT INTO framework_item (framework_id, identifier, parent_id, code, level, item_type, name,
                              name_en, description, verification, verified, sort_order)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                    .params(id, item.identifier(), parent == null ? null : parent[0], item.code(), level, item.type(),
                            item.name(), item.nameEn(), item.description(), item.verification(), item.verified(),
                            order++)
                    .query(Long.class).single();
            stored.put(item.identifier(), new long[] {itemId, level});
        }
        for (FrameworkDraft.Crosswalk c : d.crosswalks()) {
            jdbc.sql("INSERT INTO framework_crosswalk (origin_identifier, destination_identifier, association_type, "
                            + "created_by) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                    .params(c.origin(), c.destination(), c.type(), actor).update();
        }
        audit.record(null, actor, "framework.import", "framework", id, ownerPath,
                d.key() + " " + d.version() + ", " + d.items().size() + " items");
        return id;
    }

    /** Publishes a draft; the version published before it is retired (kept, and still readable). */
    @Transactional
    public void publish(long id, PeiyuUser user) {
        Framework f = get(id);
        requireOwner(f, user);
        if (f.status() != Framework.Status.DRAFT) {
            throw new BadInputException("status", "framework.error.notDraft");
        }
        jdbc.sql("UPDATE framework SET status = 'RETIRED' WHERE key = ? AND status = 'PUBLISHED'").param(f.key())
                .update();
        jdbc.sql("UPDATE framework SET status = 'PUBLISHED', published_at = now() WHERE id = ?").param(id).update();
        audit.record("framework.publish", "framework", id, f.ownerPath(), f.key() + " " + f.version());
    }

    /** Publishes a framework the platform ships, at first start. */
    void publishShipped(long id) {
        jdbc.sql("UPDATE framework SET status = 'PUBLISHED', published_at = now() WHERE id = ?").param(id).update();
    }

    public void export(long id, Format format, OutputStream out) throws IOException {
        Framework f = get(id);
        List<FrameworkItem> items = items(id);
        if (format == Format.CASE) {
            CaseFormat.write(f, items, crosswalksFrom(id), out);
        } else {
            CsvFormat.write(items, out);
        }
    }

    /** The crosswalks whose origin is an item of this version. */
    List<FrameworkDraft.Crosswalk> crosswalksFrom(long frameworkId) {
        return jdbc.sql("""
                        SELECT c.origin_identifier, c.destination_identifier, c.association_type
                        FROM framework_crosswalk c JOIN framework_item i ON i.identifier = c.origin_identifier
                        WHERE i.framework_id = ? ORDER BY i.sort_order, c.destination_identifier""")
                .param(frameworkId)
                .query((rs, n) -> new FrameworkDraft.Crosswalk(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3)))
                .list();
    }

    /** A crosswalk as shown: the other item, in whichever direction the association runs. */
    public record CrosswalkView(UUID item, String type, boolean outgoing, FrameworkItem other, String otherFramework) {
    }

    /** Every crosswalk touching an item of this version, with the item at the other end. */
    public List<CrosswalkView> crosswalks(long frameworkId) {
        List<Object[]> rows = jdbc.sql("""
                        SELECT c.origin_identifier, c.destination_identifier, c.association_type,
                               i.identifier = c.origin_identifier AS outgoing
                        FROM framework_crosswalk c JOIN framework_item i
                          ON i.identifier IN (c.origin_identifier, c.destination_identifier)
                        WHERE i.framework_id = ? ORDER BY i.sort_order""")
                .param(frameworkId)
                .query((rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3), rs.getBoolean(4)})
                .list();
        Map<Long, String> titles = new HashMap<>();
        return rows.stream().map(r -> {
            boolean outgoing = (Boolean) r[3];
            UUID mine = (UUID) (outgoing ? r[0] : r[1]);
            Optional<FrameworkItem> other = item((UUID) (outgoing ? r[1] : r[0]));
            return other.map(o -> new CrosswalkView(mine, (String) r[2], outgoing, o,
                    titles.computeIfAbsent(o.frameworkId(), fid -> get(fid).title()))).orElse(null);
        }).filter(v -> v != null).toList();
    }

    /** Links an item of one framework to an item of another, by code within their versions. */
    @Transactional
    public void addCrosswalk(long originFramework, String originCode, long destinationFramework,
                             String destinationCode, String type, PeiyuUser user) {
        ownerPathFor(user);
        BadInputException.Collector problems = new BadInputException.Collector();
        Optional<UUID> origin = identifierOf(originFramework, originCode);
        Optional<UUID> destination = identifierOf(destinationFramework, destinationCode);
        if (origin.isEmpty()) {
            problems.add("originCode", "framework.error.unknownCode", originCode == null ? "" : originCode);
        }
        if (destination.isEmpty()) {
            problems.add("destinationCode", "framework.error.unknownCode", destinationCode == null ? "" : destinationCode);
        }
        if (type == null || !CaseFormat.ASSOCIATION_TYPES.contains(type) || type.equals("isChildOf")) {
            problems.add("type", "framework.error.associationType", type == null ? "" : type);
        }
        if (originFramework == destinationFramework) {
            problems.add("destinationFramework", "framework.error.sameFramework");
        }
        problems.throwIfAny();
        jdbc.sql("INSERT INTO framework_crosswalk (origin_identifier, destination_identifier, association_type, "
                        + "created_by) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(origin.get(), destination.get(), type, user.getUsername()).update();
        audit.record("framework.crosswalk", "framework_item", origin.get(), null,
                originCode + " " + type + " " + destinationCode);
    }

    private Optional<UUID> identifierOf(long frameworkId, String code) {
        return jdbc.sql("SELECT identifier FROM framework_item WHERE framework_id = ? AND code = ?")
                .params(frameworkId, code == null ? "" : code.strip()).query(UUID.class).optional();
    }

    /** Where a framework this user imports is filed; refuses anyone but system and province administrators. */
    static String ownerPathFor(PeiyuUser user) {
        if (user.has(Role.SYSTEM_ADMIN)) {
            return "";
        }
        return user.grants().stream().filter(g -> g.role() == Role.PROVINCE_ADMIN).map(g -> g.unitPath()).findFirst()
                .orElseThrow(NotFoundException::new);
    }

    static void requireOwner(Framework f, PeiyuUser user) {
        String mine = ownerPathFor(user);
        if (!mine.isEmpty() && !f.ownerPath().equals(mine)) {
            throw new NotFoundException();
        }
    }

    /** Whether this user may import, publish and link frameworks. */
    public static boolean canManage(PeiyuUser user) {
        return user.has(Role.SYSTEM_ADMIN) || user.has(Role.PROVINCE_ADMIN);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static Framework framework(ResultSet rs, int n) throws SQLException {
        return new Framework(rs.getLong("id"), rs.getObject("identifier", UUID.class), rs.getString("key"),
                rs.getString("version"), rs.getString("title"), rs.getString("title_en"), rs.getString("publisher"),
                rs.getString("provenance"), Framework.Status.valueOf(rs.getString("status")), rs.getString("owner_path"),
                rs.getString("created_by"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("published_at", OffsetDateTime.class), rs.getInt("item_count"));
    }

    private static FrameworkItem item(ResultSet rs, int n) throws SQLException {
        return new FrameworkItem(rs.getLong("id"), rs.getLong("framework_id"), rs.getObject("identifier", UUID.class),
                (Long) rs.getObject("parent_id"), rs.getString("code"), rs.getInt("level"), rs.getString("item_type"),
                rs.getString("name"), rs.getString("name_en"), rs.getString("description"),
                rs.getString("verification"), rs.getBoolean("verified"));
    }
}
