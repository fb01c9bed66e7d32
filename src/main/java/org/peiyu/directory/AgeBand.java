package org.peiyu.directory;

import java.time.LocalDate;

/** Age bands used to filter and to report (≤30, 31–40, 41–50, >50). */
public enum AgeBand {
    UP_TO_30(0, 30), FROM_31_TO_40(31, 40), FROM_41_TO_50(41, 50), OVER_50(51, 150);

    private final int min;
    private final int max;

    AgeBand(int min, int max) {
        this.min = min;
        this.max = max;
    }

    /** The band of someone born on {@code birth}. */
    public static AgeBand of(LocalDate birth, LocalDate today) {
        int age = java.time.Period.between(birth, today).getYears();
        for (AgeBand b : values()) {
            if (age <= b.max) {
                return b;
            }
        }
        return OVER_50;
    }

    /** Birth dates in this band on {@code today}: [earliest, latest]. */
    public LocalDate earliestBirth(LocalDate today) {
        return today.minusYears(max + 1L).plusDays(1);
    }

    public LocalDate latestBirth(LocalDate today) {
        return today.minusYears(min);
    }
}
