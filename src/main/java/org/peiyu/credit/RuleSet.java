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
     * applications are approved by the school, or by the school and then the district. Topics (专题) are the
     * themes inside categories some rules set minimums for (e.g. 生涯指导与心理辅导); hours name one by its key.
     */
    public record Rules(int cycleYears, int cycleStartYear, Measure measure, BigDecimal total,
                        BigDecimal hoursPerCredit, List<Conversion> conversions, List<Requirement> requirements,
                        List<Cap> caps, Approval applicationApproval, List<Topic> topics) {

        /** The topic with this key or label (as an import's cell may give either), if the rule set defines it. */
        public java.util.Optional<Topic> topic(String keyOrLabel) {
            String v = keyOrLabel == null ? "" : keyOrLabel.strip();
            return topics.stream().filter(t -> t.key().equals(v) || t.label().equals(v) || t.labelEn().equals(v))
                    .findFirst();
        }
    }

    /** A topic (专题) within the categories, e.g. {@code career}: 生涯指导与心理辅导. */
    public record Topic(String key, String label, String labelEn) {
        public String label(boolean english) {
            return english ? labelEn : label;
        }
    }

    /** Who approves a teacher's credit application: the school alone, or the school and then the district. */
    public enum Approval { SCHOOL, DISTRICT }

    /**
     * Which hours: those of any of the listed categories, levels, modes and topics (an empty list: any, even
     * unsaid).
     */
    public record Selector(Set<Category> categories, Set<Level> levels, Set<Mode> modes, Set<String> topics) {
        public static final Selector ANY = new Selector(Set.of(), Set.of(), Set.of(), Set.of());

        public boolean matches(Standing.Balance b) {
            return (categories.isEmpty() || b.category() != null && categories.contains(b.category()))
                    && (levels.isEmpty() || b.level() != null && levels.contains(b.level()))
                    && (modes.isEmpty() || modes.contains(b.mode()))
                    && (topics.isEmpty() || b.topic() != null && topics.contains(b.topic()));
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
