package org.peiyu.lrs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.peiyu.account.Accounts;
import org.peiyu.directory.Teachers;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The learners statements name, matched to teachers: by account (what an account name means for a platform's
 * homePage is an identity source: a Peiyu username, staff number, ID-card or mobile number) or by a mailbox a teacher
 * registered (kept only as its SHA-1). Actors nobody recognises wait on a list for an admin to link; statements are
 * never rewritten, so a link counts for every statement of that actor, earlier ones included.
 */
@Service
public class Actors {

    public enum Kind { ACCOUNT, STAFF_NO, ID_CARD, PHONE }

    public record Actor(long id, String tenant, String agentKey, String name, Instant firstSeen, Long teacherId,
                        String teacherName, String matchedBy, long statements) {
        public String label() {
            return Actors.label(agentKey);
        }
    }

    /** How an agent identifies, for people: a mailbox masked, an account as name @ homePage. */
    public static String label(String agentKey) {
        String[] k = agentKey.split("\\|", 4);
        return switch (k.length < 3 ? "" : k[1]) {
            case "mbox" -> maskMailbox(k[2]);
            case "sha1" -> "SHA-1 " + k[2].substring(0, 8) + "…";
            case "account" -> k[3] + " @ " + k[2];
            default -> k.length > 2 ? k[2] : agentKey;
        };
    }

    public record Source(long id, String unitPath, String homePage, Kind kind, String createdBy, Instant createdAt) {
    }

    private static final int CACHE_SIZE = 250_000;

    private final JdbcClient jdbc;
    private final Teachers teachers;
    private final Accounts accounts;
    private final AuditLog audit;
    private final Facts facts;
    /** Actors known to be registered, so a busy write path skips the table. */
    private final Map<String, Boolean> known = new Lru<>(CACHE_SIZE);

    Actors(JdbcClient jdbc, Teachers teachers, Accounts accounts, AuditLog audit, Facts facts) {
        this.jdbc = jdbc;
        this.facts = facts;
        this.teachers = teachers;
        this.accounts = accounts;
        this.audit = audit;
    }

    // ---- on the write path -----------------------------------------------------------------------------------

    /**
     * The agents of a batch (agent key → name) not known to be registered yet under the tenant: the write path
     * registers these in the same database round trip as the statements' ids (see {@link Statements}).
     */
    Map<String, String> unknown(Map<String, String> agents, String tenant) {
        Map<String, String> unknown = new java.util.TreeMap<>(); // in key order: rows are locked in one order
        synchronized (known) {
            agents.forEach((key, name) -> {
                if (key.startsWith("Agent|") && known.get(tenant + '\n' + key) == null) {
                    unknown.put(key, name);
                }
            });
        }
        return unknown;
    }

    /** The SQL that registers unknown agents ({@code ?} tenant, keys, names), returning the new rows' id, key. */
    static final String REGISTER = """
            INSERT INTO lrs_actor (tenant, agent_key, name)
            SELECT ?, k, n FROM unnest(?::text[], ?::text[]) AS t(k, n) ORDER BY k
            ON CONFLICT (tenant, agent_key) DO NOTHING RETURNING id, agent_key""";

    /** After registering: matches the actors just created, and remembers them all once the batch commits. */
    void registered(Map<String, String> unknown, Map<Long, String> created, String tenant) {
        if (unknown.isEmpty()) {
            return;
        }
        Map<String, List<Source>> sources = new HashMap<>();
        created.forEach((id, key) -> match(tenant, key, sources).ifPresent(m -> setTeacher(id, m.teacherId(),
                m.by(), null)));
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                synchronized (known) {
                    unknown.keySet().forEach(k -> known.put(tenant + '\n' + k, Boolean.TRUE));
                }
            }
        });
    }

    private record Match(long teacherId, String by) {
    }

    /**
     * The one teacher an agent key identifies under a tenant, if the identity sources and mailboxes tell (sources
     * are read once per tenant into the given map).
     */
    private Optional<Match> match(String tenant, String agentKey, Map<String, List<Source>> sourcesByTenant) {
        String[] k = agentKey.split("\\|", 4);
        switch (k[1]) {
            case "mbox", "sha1" -> {
                String sha1 = k[1].equals("sha1") ? k[2] : sha1(k[2]);
                return jdbc.sql("SELECT teacher_id FROM lrs_mailbox WHERE sha1 = ?").param(sha1).query(Long.class)
                        .optional().map(t -> new Match(t, "MAILBOX"));
            }
            case "account" -> {
                // the nearest source up the tree for this homePage says what the name is
                Optional<Source> source = sourcesByTenant.computeIfAbsent(tenant, this::sources).stream()
                        .filter(s -> s.homePage().equals(k[2])).reduce((a, b) -> b);
                if (source.isEmpty()) {
                    return Optional.empty();
                }
                String name = k[3];
                List<Long> found = switch (source.get().kind()) {
                    case ACCOUNT -> accounts.teacherOf(name).filter(t -> teachers.isUnder(t, source.get().unitPath()))
                            .map(List::of).orElse(List.of());
                    case STAFF_NO -> teachers.idsBy(Teachers.Identifier.STAFF_NO, name, source.get().unitPath());
                    case ID_CARD -> teachers.idsBy(Teachers.Identifier.ID_CARD, name, source.get().unitPath());
                    case PHONE -> teachers.idsBy(Teachers.Identifier.PHONE, name, source.get().unitPath());
                };
                return found.size() == 1 ? Optional.of(new Match(found.get(0), source.get().kind().name()))
                        : Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** Sets an actor's teacher; the facts drawn from its statements move with it. */
    private void setTeacher(long actorId, Long teacherId, String by, String who) {
        jdbc.sql("""
                UPDATE lrs_actor a SET teacher_id = ?, matched_by = ?, linked_by = ?, linked_at = now()
                FROM (SELECT id, teacher_id FROM lrs_actor WHERE id = ? FOR UPDATE) old WHERE a.id = old.id
                RETURNING a.tenant, a.agent_key, old.teacher_id""")
                .params(teacherId, by, who, actorId).query(rs -> {
                    facts.reassigned(rs.getString(1), rs.getString(2), (Long) rs.getObject(3), teacherId);
                });
    }

    static String sha1(String mailto) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(mailto.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String maskMailbox(String mailto) {
        String address = mailto.startsWith("mailto:") ? mailto.substring(7) : mailto;
        int at = address.indexOf('@');
        return at <= 0 ? "***" : address.charAt(0) + "***" + address.substring(at);
    }

    // ---- for admins ------------------------------------------------------------------------------------------

    /** Identity sources that apply under a unit path: its own and those of the units above it, nearest last. */
    public List<Source> sources(String unitPath) {
        return jdbc.sql("SELECT id, unit_path, home_page, kind, created_by, created_at FROM lrs_identity_source "
                        + "WHERE ? LIKE unit_path || '%' ORDER BY length(unit_path), home_page")
                .param(unitPath).query(Source.class).list();
    }

    /** Identity sources an admin manages: those defined inside their scope. */
    public List<Source> sources(Scope scope) {
        Scope.Sql s = scope.sql("unit_path", null);
        return jdbc.sql("SELECT id, unit_path, home_page, kind, created_by, created_at FROM lrs_identity_source WHERE "
                + s.clause() + " ORDER BY unit_path, home_page").params(s.params()).query(Source.class).list();
    }

    /** Declares what account names of a homePage mean under a unit, then matches that unit's waiting actors. */
    @Transactional
    public int addSource(String unitPath, String homePage, Kind kind, Scope scope, String who) {
        BadInputException.Collector problems = new BadInputException.Collector();
        if (unitPath == null || !scope.covers(unitPath)) {
            problems.add("unitCode", "account.error.unit");
        }
        if (homePage == null || homePage.strip().length() > 500 || !StatementValidator.isIri(homePage.strip())) {
            problems.add("homePage", "lrs.error.homePage");
        }
        if (kind == null) {
            problems.add("kind", "error.required");
        }
        problems.throwIfAny();
        int added = jdbc.sql("INSERT INTO lrs_identity_source (unit_path, home_page, kind, created_by) VALUES "
                + "(?, ?, ?, ?) ON CONFLICT (unit_path, home_page) DO NOTHING").params(unitPath, homePage.strip(),
                kind.name(), who).update();
        if (added == 0) {
            throw new BadInputException("homePage", "lrs.error.sourceExists");
        }
        audit.record("lrs.identity.add", "lrs_identity_source", null, unitPath, homePage.strip() + " "
                + kind);
        return rematch(unitPath);
    }

    @Transactional
    public void removeSource(long id, Scope scope, String who) {
        Source s = jdbc.sql("SELECT id, unit_path, home_page, kind, created_by, created_at FROM lrs_identity_source "
                + "WHERE id = ?").param(id).query(Source.class).optional().filter(x -> scope.covers(x.unitPath()))
                .orElseThrow(NotFoundException::new);
        jdbc.sql("DELETE FROM lrs_identity_source WHERE id = ?").param(id).update();
        audit.record("lrs.identity.remove", "lrs_identity_source", id, s.unitPath(), s.homePage());
    }

    /** Tries again to match the actors still waiting under a unit path; returns how many it matched. */
    @Transactional
    public int rematch(String unitPath) {
        List<Object[]> waiting = new ArrayList<>();
        jdbc.sql("SELECT id, tenant, agent_key FROM lrs_actor WHERE teacher_id IS NULL AND tenant LIKE ?")
                .param(Scope.escapeLike(unitPath) + "%").query(rs -> {
                    waiting.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)});
                });
        int matched = 0;
        Map<String, List<Source>> sources = new HashMap<>();
        for (Object[] w : waiting) {
            Optional<Match> m = match((String) w[1], (String) w[2], sources);
            if (m.isPresent()) {
                setTeacher((Long) w[0], m.get().teacherId(), m.get().by(), null);
                matched++;
            }
        }
        return matched;
    }

    private static final String ACTOR = """
            SELECT a.id, a.tenant, a.agent_key, a.name, a.first_seen, a.teacher_id, NULL AS teacher_name,
              a.matched_by, (SELECT count(*) FROM xapi_statement x
                WHERE hashtextextended(x.actor, 0) = hashtextextended(a.agent_key, 0) AND x.actor = a.agent_key
                AND x.tenant = a.tenant)
              AS statements
            FROM lrs_actor a
            """;

    /** The actors with their teachers' names, asked of the directory in one call. */
    private List<Actor> named(List<Actor> actors) {
        Map<Long, String> names = teachers.names(actors.stream().map(Actor::teacherId)
                .filter(java.util.Objects::nonNull).distinct().toList());
        return actors.stream().map(a -> a.teacherId() == null ? a : new Actor(a.id(), a.tenant(), a.agentKey(),
                a.name(), a.firstSeen(), a.teacherId(), names.get(a.teacherId()), a.matchedBy(), a.statements()))
                .toList();
    }

    /** Actors in an admin's scope, waiting ones or matched ones, newest first, with their statement counts. */
    public List<Actor> list(Scope scope, boolean matched, int limit) {
        Scope.Sql s = scope.sql("a.tenant", null);
        return named(jdbc.sql(ACTOR + "WHERE a.teacher_id IS " + (matched ? "NOT " : "") + "NULL AND " + s.clause()
                        + " ORDER BY a.first_seen DESC, a.id DESC LIMIT ?")
                .params(concat(s.params(), limit)).query(Actor.class).list());
    }

    public Actor get(long id, Scope scope) {
        return jdbc.sql(ACTOR + "WHERE a.id = ?").param(id).query(Actor.class).optional()
                .filter(a -> scope.covers(a.tenant())).orElseThrow(NotFoundException::new);
    }

    /**
     * Links an actor to the teacher with this ID-card number (both in the admin's scope). A mailbox actor's
     * mailbox is remembered for the teacher, so their statements from other platforms match by themselves.
     */
    @Transactional
    public void link(long actorId, String idCard, Scope scope, String who) {
        Actor a = get(actorId, scope);
        List<Long> found = idCard == null || idCard.isBlank() ? List.of()
                : scope.unitPaths().isEmpty() && scope.all() ? teachers.idsBy(Teachers.Identifier.ID_CARD, idCard, "")
                : scope.unitPaths().stream().flatMap(p -> teachers.idsBy(Teachers.Identifier.ID_CARD, idCard, p)
                        .stream()).distinct().toList();
        if (found.size() != 1) {
            throw new BadInputException("idCard", "lrs.error.teacher");
        }
        long teacher = found.get(0);
        setTeacher(actorId, teacher, "ADMIN", who);
        String[] k = a.agentKey().split("\\|", 4);
        if (k[1].equals("mbox") || k[1].equals("sha1")) {
            registerMailbox(k[1].equals("sha1") ? k[2] : sha1(k[2]), teacher, who);
        }
        audit.record("lrs.actor.link", "lrs_actor", actorId, a.tenant(), "teacher " + teacher);
    }

    @Transactional
    public void unlink(long actorId, Scope scope, String who) {
        Actor a = get(actorId, scope);
        setTeacher(actorId, null, null, who);
        audit.record("lrs.actor.unlink", "lrs_actor", actorId, a.tenant(), "teacher " + a.teacherId());
    }

    // ---- for teachers ----------------------------------------------------------------------------------------

    /** A teacher adds a mailbox their learning platforms use; statements with it (hashed or not) become theirs. */
    @Transactional
    public int addMailbox(long teacherId, String address, String who) {
        String a = address == null ? "" : address.strip().toLowerCase();
        if (a.length() > 254 || !a.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new BadInputException("mailbox", "lrs.error.mailbox");
        }
        String sha1 = sha1("mailto:" + a);
        registerMailbox(sha1, teacherId, who);
        audit.record("lrs.mailbox.add", "teacher", teacherId, null, maskMailbox(a));
        // the actors waiting with this mailbox, in any tenant, are this teacher from now on
        int[] matched = {0};
        jdbc.sql("UPDATE lrs_actor SET teacher_id = ?, matched_by = 'MAILBOX', linked_at = now() "
                + "WHERE teacher_id IS NULL AND agent_key IN (?, ?) RETURNING tenant, agent_key")
                .params(teacherId, "Agent|mbox|mailto:" + a, "Agent|sha1|" + sha1).query(rs -> {
                    facts.reassigned(rs.getString(1), rs.getString(2), null, teacherId);
                    matched[0]++;
                });
        return matched[0];
    }

    private void registerMailbox(String sha1, long teacherId, String who) {
        int n = jdbc.sql("INSERT INTO lrs_mailbox (sha1, teacher_id, added_by) VALUES (?, ?, ?) ON CONFLICT (sha1) "
                + "DO UPDATE SET teacher_id = EXCLUDED.teacher_id WHERE lrs_mailbox.teacher_id = EXCLUDED.teacher_id")
                .params(sha1, teacherId, who).update();
        if (n == 0) { // someone else's mailbox
            throw new BadInputException("mailbox", "lrs.error.mailboxTaken");
        }
    }

    public int mailboxes(long teacherId) {
        return jdbc.sql("SELECT count(*) FROM lrs_mailbox WHERE teacher_id = ?").param(teacherId).query(Integer.class)
                .single();
    }

    /**
     * The agents (key, name) statements under a tenant subtree name that are the same person as this one: those
     * linked to the same teacher, or only this agent while it is nobody's.
     */
    List<String[]> samePerson(String agentKey, String scopePath) {
        String under = Scope.escapeLike(scopePath) + "%";
        return jdbc.sql("""
                SELECT DISTINCT o.agent_key, o.name FROM lrs_actor a JOIN lrs_actor o ON o.teacher_id = a.teacher_id
                WHERE a.agent_key = ? AND a.tenant LIKE ? AND o.tenant LIKE ? ORDER BY o.agent_key""")
                .params(agentKey, under, under).query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
                .list();
    }

    /** The (tenant, agent key) pairs that are this teacher, for reading their statements. */
    public List<String[]> of(long teacherId) {
        return jdbc.sql("SELECT tenant, agent_key FROM lrs_actor WHERE teacher_id = ?").param(teacherId)
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
    }

    private static List<Object> concat(List<Object> params, Object more) {
        List<Object> all = new ArrayList<>(params);
        all.add(more);
        return all;
    }
}
