package org.peiyu.account;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.TeacherDetail;
import org.peiyu.directory.Teachers;
import org.peiyu.directory.Unit;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Sign-in accounts and the roles they hold over units of the tree. Admins manage the accounts of their subtree. */
@Service
public class Accounts {

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final DirectoryTree tree;
    private final Teachers teachers;
    private final AuditLog audit;
    private final SecureRandom random = new SecureRandom();

    Accounts(JdbcClient jdbc, PasswordEncoder encoder, DirectoryTree tree, Teachers teachers, AuditLog audit) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.tree = tree;
        this.teachers = teachers;
        this.audit = audit;
    }

    /**
     * Creates an account holding {@code role} over the unit {@code unitCode} (a teacher account is linked to
     * {@code teacherId} instead). The unit or teacher must lie in the creator's scope.
     */
    @Transactional
    public long create(String username, String displayName, String password, Role role, String unitCode,
                       Long teacherId, Scope creator) {
        BadInputException.Collector problems = new BadInputException.Collector();
        String user = username == null ? null : username.strip();
        if (user == null || !user.matches("[A-Za-z0-9_.@-]{3,64}")) {
            problems.add("username", "account.error.username");
        } else if (jdbc.sql("SELECT count(*) FROM account WHERE username = ?").param(user).query(Long.class).single() > 0) {
            problems.add("username", "account.error.usernameTaken", user);
        }
        String name = displayName == null ? null : displayName.strip();
        if (name == null || name.isEmpty() || name.length() > 50) {
            problems.add("displayName", "error.required");
        }
        checkPassword(password, problems);
        String unitPath = "";
        String homePath = "";
        if (role == null) {
            problems.add("role", "error.required");
        } else if (role == Role.SYSTEM_ADMIN) {
            if (!creator.all()) {
                problems.add("role", "account.error.role");
            }
        } else if (role == Role.TEACHER) {
            TeacherDetail t = teacherId == null ? null : findTeacher(teacherId, creator);
            if (t == null) {
                problems.add("teacherId", "account.error.teacher");
            } else {
                homePath = t.path();
                if (jdbc.sql("SELECT count(*) FROM account WHERE teacher_id = ?").param(teacherId).query(Long.class)
                        .single() > 0) {
                    problems.add("teacherId", "account.error.teacherHasAccount");
                }
            }
        } else {
            Unit unit = tree.unit(unitCode == null ? null : unitCode.strip()).orElse(null);
            if (unit == null || !creator.covers(unit.path())) {
                problems.add("unitCode", "account.error.unit");
            } else if (!fits(role, unit.kind())) {
                problems.add("role", "account.error.roleUnit");
            } else {
                unitPath = unit.path();
                homePath = unit.path();
            }
        }
        problems.throwIfAny();
        long id = jdbc.sql("""
                        INSERT INTO account (username, password_hash, display_name, teacher_id, home_path,
                          must_change_password) VALUES (?, ?, ?, ?, ?, TRUE) RETURNING id""")
                .params(user, encoder.encode(password), name, role == Role.TEACHER ? teacherId : null, homePath)
                .query(Long.class).single();
        jdbc.sql("INSERT INTO account_grant (account_id, role, unit_code, unit_path) VALUES (?, ?, ?, ?)")
                .params(id, role.name(), role == Role.TEACHER || role == Role.SYSTEM_ADMIN ? null : unitCode.strip(),
                        unitPath)
                .update();
        audit.record("account.create", "account", id, homePath, user + " " + role);
        return id;
    }

    private TeacherDetail findTeacher(long teacherId, Scope creator) {
        try {
            TeacherDetail t = teachers.get(teacherId, creator);
            return creator.covers(t.path()) ? t : null;
        } catch (NotFoundException e) {
            return null;
        }
    }

    private static boolean fits(Role role, Unit.Kind kind) {
        return switch (role) {
            case PROVINCE_ADMIN -> kind == Unit.Kind.PROVINCE;
            case CITY_ADMIN -> kind == Unit.Kind.CITY;
            case DISTRICT_ADMIN -> kind == Unit.Kind.DISTRICT;
            case SCHOOL_ADMIN -> kind == Unit.Kind.SCHOOL;
            case REVIEWER -> true;
            default -> false;
        };
    }

    static void checkPassword(String password, BadInputException.Collector problems) {
        if (password == null || password.length() < 8 || password.length() > 128
                || !password.matches(".*[A-Za-z].*") || !password.matches(".*\\d.*")) {
            problems.add("password", "account.error.password");
        }
    }

    /**
     * Creates accounts for the active teachers in scope under {@code unitCode} who have none, each with a random
     * first password to change at first sign-in. Returns the new credentials, once.
     */
    @Transactional
    public List<Credential> createTeacherAccounts(String unitCode, Scope creator) {
        Unit unit = tree.unit(unitCode).filter(u -> creator.covers(u.path()))
                .orElseThrow(() -> new BadInputException("unitCode", "account.error.unit"));
        List<Object[]> rows = jdbc.sql("""
                        SELECT t.id, t.name, s.code, t.staff_no, t.path FROM teacher t JOIN school s ON s.id = t.school_id
                        WHERE t.path LIKE ? AND t.status = 'ACTIVE'
                          AND NOT EXISTS (SELECT 1 FROM account a WHERE a.teacher_id = t.id) ORDER BY t.path, t.name""")
                .param(Scope.escapeLike(unit.path()) + "%")
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)})
                .list();
        List<Credential> out = new ArrayList<>();
        for (Object[] r : rows) {
            long teacherId = (Long) r[0];
            String username = r[3] != null ? r[2] + "-" + r[3] : "t" + teacherId;
            String password = randomPassword();
            long id = jdbc.sql("""
                            INSERT INTO account (username, password_hash, display_name, teacher_id, home_path,
                              must_change_password) VALUES (?, ?, ?, ?, ?, TRUE)
                            ON CONFLICT (username) DO NOTHING RETURNING id""")
                    .params(username, encoder.encode(password), r[1], teacherId, r[4])
                    .query(Long.class).optional().orElse(-1L);
            if (id < 0) {
                continue;
            }
            jdbc.sql("INSERT INTO account_grant (account_id, role, unit_path) VALUES (?, 'TEACHER', '')").param(id)
                    .update();
            out.add(new Credential(username, (String) r[1], password));
        }
        audit.record("account.bulkCreate", "account", null, unit.path(), out.size() + " teacher accounts");
        return out;
    }

    /** A new account's sign-in, shown once to the admin who created it. */
    public record Credential(String username, String displayName, String password) {
    }

    String randomPassword() {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 12 || !sb.toString().matches(".*\\d.*") || !sb.toString().matches(".*[A-Za-z].*")) {
            if (sb.length() >= 12) {
                sb.setLength(0);
            }
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    public List<AccountRow> list(Scope scope, String text) {
        Scope.Sql s = scope.sql("a.home_path", null);
        List<Object> params = new ArrayList<>(s.params());
        String filter = "";
        if (text != null && !text.isBlank()) {
            filter = " AND (a.username LIKE ? OR a.display_name LIKE ?)";
            String like = "%" + Scope.escapeLike(text.strip()) + "%";
            params.add(like);
            params.add(like);
        }
        List<Object[]> rows = jdbc.sql("""
                        SELECT a.id, a.username, a.display_name, a.enabled,
                               a.locked_until IS NOT NULL AND a.locked_until > now() AS locked, a.last_sign_in
                        FROM account a WHERE """ + " " + s.clause() + filter + " ORDER BY a.home_path, a.username LIMIT 500")
                .params(params)
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getBoolean(5), rs.getObject(6, OffsetDateTime.class)})
                .list();
        Map<Long, List<GrantView>> grants = new HashMap<>();
        Map<String, String> unitNames = new HashMap<>();
        if (!rows.isEmpty()) {
            jdbc.sql("SELECT account_id, role, unit_code FROM account_grant WHERE account_id = ANY(?) ORDER BY role")
                    .param(rows.stream().map(r -> (Long) r[0]).toArray(Long[]::new))
                    .query((org.springframework.jdbc.core.RowCallbackHandler) rs -> {
                        String code = rs.getString(3);
                        String unit = code == null ? null : unitNames.computeIfAbsent(code,
                                c -> tree.unit(c).map(Unit::name).orElse(c));
                        grants.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                .add(new GrantView(Role.valueOf(rs.getString(2)), unit));
                    });
        }
        return rows.stream().map(r -> new AccountRow((Long) r[0], (String) r[1], (String) r[2], (Boolean) r[3],
                (Boolean) r[4], (OffsetDateTime) r[5], grants.getOrDefault((Long) r[0], List.of()))).toList();
    }

    /** An account as listed to admins. */
    public record AccountRow(long id, String username, String displayName, boolean enabled, boolean locked,
                             OffsetDateTime lastSignIn, List<GrantView> grants) {
    }

    /** A role and the name of the unit it is held over (none for teachers and system administrators). */
    public record GrantView(Role role, String unitName) {
    }

    private String pathInScope(long accountId, Scope scope) {
        String path = jdbc.sql("SELECT home_path FROM account WHERE id = ?").param(accountId).query(String.class)
                .optional().orElseThrow(NotFoundException::new);
        if (!scope.all() && (path.isEmpty() || !scope.covers(path))) {
            throw new NotFoundException();
        }
        return path;
    }

    /** Sets a new random password that must be changed at next sign-in, and unlocks the account. */
    @Transactional
    public String resetPassword(long accountId, Scope scope) {
        String path = pathInScope(accountId, scope);
        String password = randomPassword();
        jdbc.sql("UPDATE account SET password_hash = ?, must_change_password = TRUE, failed_attempts = 0, "
                        + "locked_until = NULL WHERE id = ?")
                .params(encoder.encode(password), accountId).update();
        audit.record("account.resetPassword", "account", accountId, path, null);
        return password;
    }

    @Transactional
    public void setEnabled(long accountId, boolean enabled, Scope scope) {
        String path = pathInScope(accountId, scope);
        jdbc.sql("UPDATE account SET enabled = ? WHERE id = ?").params(enabled, accountId).update();
        if (!enabled) {
            jdbc.sql("DELETE FROM spring_session WHERE principal_name = (SELECT username FROM account WHERE id = ?)")
                    .param(accountId).update();
        }
        audit.record(enabled ? "account.enable" : "account.disable", "account", accountId, path, null);
    }

    @Transactional
    public void changeOwnPassword(PeiyuUser user, String current, String next) {
        String hash = jdbc.sql("SELECT password_hash FROM account WHERE id = ?").param(user.accountId())
                .query(String.class).single();
        BadInputException.Collector problems = new BadInputException.Collector();
        if (current == null || !encoder.matches(current, hash)) {
            problems.add("current", "account.error.currentPassword");
        }
        checkPassword(next, problems);
        if (next != null && next.equals(current)) {
            problems.add("password", "account.error.samePassword");
        }
        problems.throwIfAny();
        jdbc.sql("UPDATE account SET password_hash = ?, must_change_password = FALSE WHERE id = ?")
                .params(encoder.encode(next), user.accountId()).update();
        audit.record("account.changePassword", "account", user.accountId(), null, null);
    }

    public boolean mustChangePassword(long accountId) {
        return jdbc.sql("SELECT must_change_password FROM account WHERE id = ?").param(accountId)
                .query(Boolean.class).optional().orElse(false);
    }

    /** Demo and first-run set-up: an account with a known password that need not be changed. */
    @Transactional
    public long createSeeded(String username, String displayName, String password, Role role, String unitCode,
                             Long teacherId) {
        long id = create(username, displayName, password, role, unitCode, teacherId, Scope.ALL);
        jdbc.sql("UPDATE account SET must_change_password = FALSE WHERE id = ?").param(id).update();
        return id;
    }

    /**
     * Grants one more role over a unit to an existing account in the granter's subtree, e.g. makes a teacher a
     * reviewer. The same rules as at creation: the unit in scope, the role fitting the unit.
     */
    @Transactional
    public void grant(String username, Role role, String unitCode, Scope granter) {
        Long id = username == null ? null : jdbc.sql("SELECT id FROM account WHERE username = ?").param(username.strip())
                .query(Long.class).optional().orElse(null);
        if (id == null) {
            throw new BadInputException("account", "account.error.unknownAccount");
        }
        pathInScope(id, granter);
        Unit unit = tree.unit(unitCode == null ? null : unitCode.strip()).filter(u -> granter.covers(u.path()))
                .orElseThrow(() -> new BadInputException("unitCode", "account.error.unit"));
        if (role == null || role == Role.TEACHER || role == Role.SYSTEM_ADMIN || !fits(role, unit.kind())) {
            throw new BadInputException("role", "account.error.roleUnit");
        }
        jdbc.sql("INSERT INTO account_grant (account_id, role, unit_code, unit_path) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING").params(id, role.name(), unit.code(), unit.path()).update();
        audit.record("account.grant", "account", id, unit.path(), role + " " + unit.code());
    }

    /** An account that may review evidence of teachers under a unit. */
    /** The teacher a Peiyu username belongs to, if it is a teacher's account. */
    public Optional<Long> teacherOf(String username) {
        return jdbc.sql("SELECT teacher_id FROM account WHERE username = ? AND teacher_id IS NOT NULL")
                .param(username).query(Long.class).optional();
    }

    public record Reviewer(long accountId, String displayName, Long teacherId) {
    }

    /** Enabled accounts holding the reviewer role over a unit that contains {@code unitPath}. */
    public List<Reviewer> reviewersOver(String unitPath) {
        return jdbc.sql("""
                        SELECT a.id, a.display_name, a.teacher_id FROM account a JOIN account_grant g ON g.account_id = a.id
                        WHERE g.role = 'REVIEWER' AND a.enabled AND ? LIKE g.unit_path || '%' ORDER BY a.display_name""")
                .param(unitPath)
                .query((rs, n) -> new Reviewer(rs.getLong(1), rs.getString(2), (Long) rs.getObject(3)))
                .list();
    }

    public boolean exists(String username) {
        return jdbc.sql("SELECT count(*) FROM account WHERE username = ?").param(username).query(Long.class).single() > 0;
    }
}
