package org.peiyu.lrs;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** xAPI timestamps: ISO 8601 / RFC 3339 in, UTC with milliseconds out. */
final class Timestamps {

    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /**
     * Parses a timestamp (YYYY-MM-DDThh:mm[:ss[.f…]][Z|±hh[[:]mm]]); one without an offset is taken as UTC, "-00:00"
     * (an unknown offset) is refused. By hand rather than with a pattern: every statement carries two.
     */
    static Instant parse(String t) {
        int n = t.length();
        if (n < 16 || !digits(t, 0, 4) || t.charAt(4) != '-' || !digits(t, 5, 2) || t.charAt(7) != '-'
                || !digits(t, 8, 2) || "Tt ".indexOf(t.charAt(10)) < 0 || !digits(t, 11, 2) || t.charAt(13) != ':'
                || !digits(t, 14, 2)) {
            throw invalid(t);
        }
        int i = 16;
        int second = 0;
        int nano = 0;
        if (i < n && t.charAt(i) == ':') {
            if (!digits(t, i + 1, 2)) {
                throw invalid(t);
            }
            second = number(t, i + 1, 2);
            i += 3;
            if (i < n && t.charAt(i) == '.') {
                int start = ++i;
                for (; i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9'; i++) {
                    if (i - start < 9) {
                        nano = nano * 10 + t.charAt(i) - '0';
                    }
                }
                if (i == start) {
                    throw invalid(t);
                }
                for (int k = Math.min(i - start, 9); k < 9; k++) {
                    nano *= 10;
                }
            }
        }
        int offsetSeconds = 0;
        if (i < n && (t.charAt(i) == 'Z' || t.charAt(i) == 'z')) {
            i++;
        } else if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
            int sign = t.charAt(i) == '-' ? -1 : 1;
            if (!digits(t, i + 1, 2)) {
                throw invalid(t);
            }
            int hours = number(t, i + 1, 2);
            int minutes = 0;
            i += 3;
            if (i < n) {
                if (t.charAt(i) == ':') {
                    i++;
                }
                if (!digits(t, i, 2)) {
                    throw invalid(t);
                }
                minutes = number(t, i, 2);
                i += 2;
            }
            if (sign < 0 && hours == 0 && minutes == 0) {
                throw invalid(t);
            }
            offsetSeconds = sign * (hours * 3600 + minutes * 60);
        }
        if (i != n) {
            throw invalid(t);
        }
        try {
            return LocalDateTime.of(number(t, 0, 4), number(t, 5, 2), number(t, 8, 2), number(t, 11, 2),
                    number(t, 14, 2), second, nano).toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            throw invalid(t);
        }
    }

    private static boolean digits(String t, int from, int count) {
        if (from + count > t.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String t, int from, int count) {
        return Integer.parseInt(t, from, from + count, 10);
    }

    private static DateTimeParseException invalid(String t) {
        return new DateTimeParseException("not an xAPI timestamp", t, 0);
    }

    static String format(Instant instant) {
        return OUT.format(instant);
    }
}
