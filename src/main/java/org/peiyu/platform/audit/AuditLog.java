package org.peiyu.platform.audit;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Scope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** The audit log: append-only, written in the caller's transaction so a rolled-back change leaves no entry. */
@Service
public class AuditLog {

    private final JdbcClient jdbc;

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records an action of the current user on a target filed under {@code unitPath}. */
    public void record(String action, String targetType, Object targetId, String unitPath, String detail) {
        PeiyuUser user = CurrentUser.find().orElse(null);
        record(user == null ? null : user.accountId(), user == null ? "system" : user.getUsername(),
                action, targetType, targetId, unitPath, detail);
    }

    public void record(Long actorId, String actorName, String action, String targetType, Object targetId,
                       String unitPath, String detail) {
        jdbc.sql("""
                INSERT INTO audit_event (actor_id, actor_name, action, target_type, target_id, unit_path, detail, ip)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(actorId, actorName, action, targetType, targetId == null ? null : targetId.toString(),
                        unitPath, detail, clientIp())
                .update();
    }

    /** The newest events the scope may see, optionally of one action. */
    public List<Event> recent(Scope scope, String action, int limit) {
        Scope.Sql where = scope.sql("unit_path", null);
        List<Object> params = new ArrayList<>(where.params());
        String actionFilter = "";
        if (action != null && !action.isBlank()) {
            actionFilter = " AND action = ?";
            params.add(action);
        }
        params.add(limit);
        return jdbc.sql("SELECT id, at, actor_name, action, target_type, target_id, unit_path, detail, ip "
                        + "FROM audit_event WHERE " + where.clause() + actionFilter + " ORDER BY at DESC, id DESC LIMIT ?")
                .params(params)
                .query(Event.class)
                .list();
    }

    private static String clientIp() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs) {
            HttpServletRequest request = attrs.getRequest();
            return request.getRemoteAddr();
        }
        return null;
    }

    public record Event(long id, OffsetDateTime at, String actorName, String action, String targetType,
                        String targetId, String unitPath, String detail, String ip) {
    }
}
