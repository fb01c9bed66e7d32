package org.peiyu.credit;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;

/**
 * A jurisdiction's hours and credit rules (学分规则) in one version: the cycle, what a teacher must reach in it, how
 * hours convert to credits. Stored as a document (see {@link RuleSets}); every figure is data, none a constant.
 */
public record RuleSet(long id, String unitPath, int version, String name, LocalDate effectiveFrom,
                      LocalDate effectiveTo, Status status, Rules rules, String provenance) {

    public enum Status { DRAFT, PUBLISHED, RETIRED }

    /** Whether a requirement counts hours (学时) or credits (学分). */
    public enum Measure { HOURS, CREDITS }

    /** How the hours were spent. */
    public enum Mode { THEORY, PRACTICE, ONLINE }

    /**
     * The rules. The cycle starts on 1 January of {@code cycleStartYear} and repeats every {@code cycleYears}; the
     * total is in the rule set's measure; hours convert to credits by the first matching conversion, else by
     * {@code hoursPerCredit}; caps limit what some hours count for; each requirement is a further minimum; credit
     * applications are approved by the school, or by the school and then the district.
     */
    public record Rules(int cycleYears, int cycleStartYear, Measure measure, BigDecimal total,
                        BigDecimal hoursPerCredit, List<Conversion> conversions, List<Requirement> requirements,
                        List<Cap> caps, Approval applicationApproval) {
    }

    /** Who approves a teacher's credit application: the school alone, or the school and then the district. */
    public enum Approval { SCHOOL, DISTRICT }

    /** Which hours: those of any of the listed categories, levels and modes (an empty list: any, even unsaid). */
    public record Selector(Set<Category> categories, Set<Level> levels, Set<Mode> modes) {
        public static final Selector ANY = new Selector(Set.of(), Set.of(), Set.of());

        public boolean matches(Category category, Level level, Mode mode) {
            return (categories.isEmpty() || category != null && categories.contains(category))
                    && (levels.isEmpty() || level != null && levels.contains(level))
                    && (modes.isEmpty() || modes.contains(mode));
        }
    }

    /** E.g. practice-type activities: 20 hours make a credit. */
    public record Conversion(Selector of, BigDecimal hoursPerCredit) {
    }

    /** At least so much of some hours, per cycle or in every year of it. */
    public record Requirement(String key, String label, String labelEn, Measure measure, Selector of,
                              BigDecimal atLeast, boolean perYear) {
    }

    /** Some hours count for at most so much per cycle (e.g. self-study: 4 credits). */
    public record Cap(Selector of, Measure measure, BigDecimal atMost) {
    }

    /** The cycle that contains a day. */
    public LocalDate[] cycle(LocalDate day) {
        int years = rules.cycleYears();
        int start = rules.cycleStartYear() + Math.floorDiv(day.getYear() - rules.cycleStartYear(), years) * years;
        return new LocalDate[] {LocalDate.of(start, 1, 1), LocalDate.of(start + years - 1, 12, 31)};
    }
}
