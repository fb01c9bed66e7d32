package org.peiyu.credit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.peiyu.credit.RuleSet.Measure;
import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.credit.RuleSet.Requirement;
import org.peiyu.credit.RuleSet.Selector;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;

/**
 * A teacher's standing against a rule set in the cycle containing a day: per requirement what is required, earned,
 * expected by now at an even pace, and forecast for the cycle's end at the teacher's own pace; the status of each and
 * of the whole (the worst). Computed from balances alone, so it can be recomputed at any time.
 */
public record Standing(LocalDate cycleStart, LocalDate cycleEnd, Status status, Status forecast, List<Line> lines,
                       long monthsLeft) {

    /** Ordered from best to worst. */
    public enum Status { MET, ON_TRACK, AT_RISK, BEHIND }

    /** Hours of one kind earned in one year (a row of the ledger's balances); the topic is null where not said. */
    public record Balance(int year, Category category, Level level, Mode mode, String topic, BigDecimal hours) {
    }

    /** One requirement (the first is the total): amounts in its measure. */
    public record Line(String key, String label, String labelEn, Measure measure, BigDecimal required,
                       BigDecimal earned, BigDecimal expected, BigDecimal forecastAmount, Status status,
                       Status forecast) {
        public BigDecimal gap() {
            return required.subtract(earned).max(BigDecimal.ZERO);
        }
    }

    /** The requirement furthest from being met (none when all are): what the one-sentence reason speaks of. */
    public Line worst() {
        return lines.stream().filter(l -> l.status() != Status.MET)
                .max(Comparator.comparing((Line l) -> l.status()).thenComparing(l -> l.gap().divide(l.required(),
                        6, RoundingMode.HALF_UP)))
                .orElse(null);
    }

    public static Standing of(RuleSet ruleSet, List<Balance> balances, LocalDate today) {
        return of(ruleSet, balances, List.of(), today);
    }

    /**
     * The standing, its forecast counting {@code planned} hours too (courses the teacher is enrolled in): at cycle end
     * a teacher reaches at least what they have plus what they have booked, or more at their pace.
     */
    public static Standing of(RuleSet ruleSet, List<Balance> balances, List<Balance> planned, LocalDate today) {
        RuleSet.Rules rules = ruleSet.rules();
        LocalDate[] cycle = ruleSet.cycle(today);
        double days = ChronoUnit.DAYS.between(cycle[0], cycle[1].plusDays(1));
        double elapsed = Math.min(days, Math.max(1, ChronoUnit.DAYS.between(cycle[0], today.plusDays(1))));
        double share = elapsed / days;
        List<Balance> inCycle = balances.stream()
                .filter(b -> b.year() >= cycle[0].getYear() && b.year() <= cycle[1].getYear()).toList();
        double[] counted = capped(rules, inCycle);

        List<Line> lines = new ArrayList<>();
        double[] plannedHours = planned.stream().mapToDouble(b -> b.hours().doubleValue()).toArray();
        lines.add(line("total", null, null, rules.measure(), Selector.ANY, rules.total(), false, rules, inCycle,
                counted, share, today, cycle, sum(rules, planned, plannedHours, Selector.ANY, rules.measure(), null)));
        for (Requirement r : rules.requirements()) {
            lines.add(line(r.key(), r.label(), r.labelEn(), r.measure(), r.of(), r.atLeast(), r.perYear(), rules,
                    inCycle, counted, share, today, cycle, sum(rules, planned, plannedHours, r.of(), r.measure(),
                            null)));
        }
        Status status = lines.stream().map(Line::status).max(Comparator.naturalOrder()).orElseThrow();
        Status forecast = lines.stream().map(Line::forecast).max(Comparator.naturalOrder()).orElseThrow();
        long monthsLeft = ChronoUnit.MONTHS.between(today, cycle[1].plusDays(1));
        return new Standing(cycle[0], cycle[1], status, forecast, List.copyOf(lines), monthsLeft);
    }

    /**
     * What each balance counts for, in hours, once caps apply: hours over a cap are scaled down across the hours it
     * covers, in proportion.
     */
    private static double[] capped(RuleSet.Rules rules, List<Balance> balances) {
        double[] counted = balances.stream().mapToDouble(b -> b.hours().doubleValue()).toArray();
        for (RuleSet.Cap cap : rules.caps()) {
            double sum = 0;
            for (int i = 0; i < balances.size(); i++) {
                Balance b = balances.get(i);
                if (cap.of().matches(b)) {
                    sum += amount(rules, b, counted[i], cap.measure());
                }
            }
            double limit = cap.atMost().doubleValue();
            if (sum > limit) {
                for (int i = 0; i < balances.size(); i++) {
                    Balance b = balances.get(i);
                    if (cap.of().matches(b)) {
                        counted[i] *= limit / sum;
                    }
                }
            }
        }
        return counted;
    }

    /** Hours in a measure: as they are, or converted to credits by the first matching conversion. */
    static double amount(RuleSet.Rules rules, Balance b, double hours, Measure measure) {
        if (measure == Measure.HOURS) {
            return hours;
        }
        BigDecimal per = rules.conversions().stream()
                .filter(c -> c.of().matches(b))
                .map(RuleSet.Conversion::hoursPerCredit).findFirst().orElse(rules.hoursPerCredit());
        return hours / per.doubleValue();
    }

    private static Line line(String key, String label, String labelEn, Measure measure, Selector of,
                             BigDecimal atLeast, boolean perYear, RuleSet.Rules rules, List<Balance> balances,
                             double[] counted, double share, LocalDate today, LocalDate[] cycle,
                             double planned) {
        double required = atLeast.doubleValue();
        double earned;
        double expected;
        double forecast;
        if (perYear) { // judged on the current year: earlier years that fell short are behind for good
            int year = Math.min(today.getYear(), cycle[1].getYear());
            double shortOfEarlier = 0;
            for (int y = cycle[0].getYear(); y < year; y++) {
                shortOfEarlier += Math.max(0, required - sum(rules, balances, counted, of, measure, y));
            }
            earned = sum(rules, balances, counted, of, measure, year);
            double yearShare = Math.min(1, today.getDayOfYear() / (double) today.lengthOfYear());
            expected = required * yearShare;
            forecast = Math.max(earned / Math.max(yearShare, 1e-9), earned + planned);
            if (shortOfEarlier > 0) {
                return new Line(key, label, labelEn, measure, atLeast, round(earned), round(expected),
                        round(forecast), Status.BEHIND, Status.BEHIND);
            }
        } else {
            earned = sum(rules, balances, counted, of, measure, null);
            expected = required * share;
            forecast = Math.max(earned / share, earned + planned);
        }
        Status status;
        if (earned >= required) {
            status = Status.MET;
        } else if (earned >= expected) {
            status = Status.ON_TRACK;
        } else if (expected - earned <= required / (perYear ? 4 : rules.cycleYears())) {
            status = Status.AT_RISK; // behind the even pace by less than a year's worth (a quarter's, per year)
        } else {
            status = Status.BEHIND;
        }
        Status forecastStatus = earned >= required ? Status.MET : forecast >= required ? Status.ON_TRACK
                : forecast >= required * 0.8 ? Status.AT_RISK : Status.BEHIND;
        return new Line(key, label, labelEn, measure, atLeast, round(earned), round(expected), round(forecast),
                status, forecastStatus);
    }

    private static double sum(RuleSet.Rules rules, List<Balance> balances, double[] counted, Selector of,
                              Measure measure, Integer year) {
        double sum = 0;
        for (int i = 0; i < balances.size(); i++) {
            Balance b = balances.get(i);
            if ((year == null || b.year() == year) && of.matches(b)) {
                sum += amount(rules, b, counted[i], measure);
            }
        }
        return sum;
    }

    /** To the hundredth, without trailing zeros (shown with toPlainString). */
    private static BigDecimal round(double v) {
        return BigDecimal.valueOf(Math.max(0, v)).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
    }
}
