package org.peiyu.directory;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Dates as people and spreadsheets write them: 1985-03-02, 1985/3/2, 1985.3.2, 1985年3月2日, 19850302, 2008-09, Excel serials. */
public final class Dates {

    private static final Pattern YMD = Pattern.compile("(\\d{4})[-/.年](\\d{1,2})[-/.月](\\d{1,2})日?(?:[ T].*)?");
    private static final Pattern YM = Pattern.compile("(\\d{4})[-/.年](\\d{1,2})月?");
    private static final Pattern COMPACT = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");
    private static final Pattern SERIAL = Pattern.compile("(\\d{1,5})(?:\\.0+)?");
    private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);

    private Dates() {
    }

    /** The date, or null if the text is not one. */
    public static LocalDate parse(String raw) {
        String s = Text.clean(raw);
        if (s == null) {
            return null;
        }
        try {
            Matcher m = YMD.matcher(s);
            if (m.matches()) {
                return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            }
            m = COMPACT.matcher(s);
            if (m.matches()) {
                return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            }
            m = YM.matcher(s);
            if (m.matches()) {
                return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1);
            }
            m = SERIAL.matcher(s);
            if (m.matches()) {
                long days = Long.parseLong(m.group(1));
                // serials from 1900-03-01 on (61) up to 2173; smaller numbers are not dates anyone means
                return days >= 61 && days <= 99999 ? EXCEL_EPOCH.plusDays(days) : null;
            }
        } catch (DateTimeException e) {
            return null;
        }
        return null;
    }
}
