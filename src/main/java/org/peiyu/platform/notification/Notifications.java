package org.peiyu.platform.notification;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Notifications to teachers. A notification's text is a message key (translated when shown) with the sender's own
 * note; a kind sent to a teacher again within a day is not sent twice, so repeated reminders do not pile up.
 */
@Service
public class Notifications {

    public static final Duration QUIET = Duration.ofDays(1);

    /** One notification as its teacher sees it. */
    public record Notification(long id, String kind, String messageKey, String note, String link, String sender,
                               OffsetDateTime createdAt, OffsetDateTime readAt) {
    }

    private final JdbcClient jdbc;

    Notifications(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Sends to these teachers, except those sent this kind within a day; returns how many were sent. */
    public int send(Collection<Long> teacherIds, String kind, String messageKey, String note, String link,
                    String sender) {
        if (teacherIds.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                        INSERT INTO notification (teacher_id, kind, message_key, note, link, sender)
                        SELECT t, ?, ?, ?, ?, ? FROM unnest(?::bigint[]) AS t
                        WHERE NOT EXISTS (SELECT 1 FROM notification n WHERE n.teacher_id = t AND n.kind = ?
                          AND n.created_at > now() - make_interval(secs => ?))""")
                .params(kind, messageKey, note, link, sender, teacherIds.toArray(Long[]::new), kind,
                        QUIET.toSeconds()).update();
    }

    /** A teacher's newest notifications. */
    public List<Notification> of(long teacherId, int limit) {
        return jdbc.sql("SELECT id, kind, message_key, note, link, sender, created_at, read_at FROM notification "
                        + "WHERE teacher_id = ? ORDER BY created_at DESC, id DESC LIMIT ?")
                .params(teacherId, limit).query(Notification.class).list();
    }

    public int unread(long teacherId) {
        return jdbc.sql("SELECT count(*) FROM notification WHERE teacher_id = ? AND read_at IS NULL")
                .param(teacherId).query(Integer.class).single();
    }

    /** Marks all of a teacher's notifications read. */
    public void readAll(long teacherId) {
        jdbc.sql("UPDATE notification SET read_at = now() WHERE teacher_id = ? AND read_at IS NULL").param(teacherId)
                .update();
    }
}
