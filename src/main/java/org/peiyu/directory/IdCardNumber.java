package org.peiyu.directory;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A mainland resident identity card number (GB 11643-1999): 6-digit area code, birth date, sequence, and an
 * ISO 7064 MOD 11-2 check character. The 17th digit is odd for men.
 */
public record IdCardNumber(String value) {

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK = "10X98765432";

    /** Parses a normalised number, or names the problem as a message key. */
    public static Parsed parse(String raw, LocalDate today) {
        if (raw == null || raw.isBlank()) {
            return new Parsed(null, "idCard.error.required");
        }
        String s = raw.trim().toUpperCase();
        if (s.matches("\\d(\\.\\d+)?E\\+?\\d+")) {
            return new Parsed(null, "idCard.error.scientific");
        }
        if (s.length() != 18) {
            return new Parsed(null, "idCard.error.length");
        }
        for (int i = 0; i < 17; i++) {
            if (!Character.isDigit(s.charAt(i)) || s.charAt(i) > '9') {
                return new Parsed(null, "idCard.error.digits");
            }
        }
        if (s.charAt(0) == '0') {
            return new Parsed(null, "idCard.error.area");
        }
        LocalDate birth;
        try {
            birth = LocalDate.of(Integer.parseInt(s.substring(6, 10)), Integer.parseInt(s.substring(10, 12)),
                    Integer.parseInt(s.substring(12, 14)));
        } catch (DateTimeException e) {
            return new Parsed(null, "idCard.error.birthDate");
        }
        if (birth.isAfter(today) || birth.isBefore(today.minusYears(120))) {
            return new Parsed(null, "idCard.error.birthDate");
        }
        if (s.charAt(17) != checkChar(s)) {
            return new Parsed(null, "idCard.error.checksum");
        }
        return new Parsed(new IdCardNumber(s), null);
    }

    public static Optional<IdCardNumber> tryParse(String raw) {
        return Optional.ofNullable(parse(raw, LocalDate.now()).number());
    }

    /** The check character for the first 17 digits of {@code s}. */
    public static char checkChar(CharSequence s) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (s.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK.charAt(sum % 11);
    }

    public LocalDate birthDate() {
        return LocalDate.of(Integer.parseInt(value.substring(6, 10)), Integer.parseInt(value.substring(10, 12)),
                Integer.parseInt(value.substring(12, 14)));
    }

    public Gender gender() {
        return (value.charAt(16) - '0') % 2 == 1 ? Gender.M : Gender.F;
    }

    /** The outcome of parsing: a number, or the message key of what is wrong. */
    public record Parsed(IdCardNumber number, String errorKey) {
        public boolean ok() {
            return number != null;
        }
    }
}
