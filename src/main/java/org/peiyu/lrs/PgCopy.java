package org.peiyu.lrs;

/** Rows in PostgreSQL's COPY text format: tab-separated, \N for null, backslash escapes. */
final class PgCopy {

    private PgCopy() {
    }

    /** Appends one row; values are written with toString(), null as \N. */
    static void row(StringBuilder out, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            field(out, values[i]);
        }
        out.append('\n');
    }

    private static void field(StringBuilder out, Object value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        String s = value.toString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    /** A text[] literal, each element quoted. */
    static String array(String[] values) {
        StringBuilder sb = new StringBuilder("{");
        for (String v : values) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append('}').toString();
    }
}
