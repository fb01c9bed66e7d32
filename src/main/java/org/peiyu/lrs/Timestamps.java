package org.peiyu.lrs;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** xAPI timestamps: ISO 8601 / RFC 3339 in, UTC with milliseconds out. */
final class Timestamps {

    private static final Pattern FORM = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2})[Tt ](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?)(Z|z|[+-]\\d{2}(?::?\\d{2})?)?$");
    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** Parses a timestamp; one without an offset is taken as UTC, "-00:00" (an unknown offset) is refused. */
    static Instant parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches() || "-00".equals(m.group(3)) || "-00:00".equals(m.group(3)) || "-0000".equals(m.group(3))) {
            throw new DateTimeParseException("not an xAPI timestamp", text, 0);
        }
        LocalDateTime local = LocalDateTime.parse(m.group(1) + "T" + m.group(2));
        String offset = m.group(3);
        if (offset == null || offset.equalsIgnoreCase("Z")) {
            return local.toInstant(ZoneOffset.UTC);
        }
        String o = offset.length() == 3 ? offset + ":00" : offset.length() == 5 ? offset.substring(0, 3) + ":"
                + offset.substring(3) : offset;
        return OffsetDateTime.of(local, ZoneOffset.of(o)).toInstant();
    }

    static String format(Instant instant) {
        return OUT.format(instant);
    }
}
