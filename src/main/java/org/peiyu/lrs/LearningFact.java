package org.peiyu.lrs;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * What a statement means for a teacher's development, by an admin's mapping rule: hours earned (with category and
 * level), a resource used, or evidence for an indicator (a framework item's identifier). Facts are published in
 * {@link LearningFactsRecorded} and {@link LearningFactsWithdrawn}; a fact's id is stable, so readers key on it.
 */
public record LearningFact(long id, long teacherId, Kind kind, BigDecimal hours, Category category, Level level,
                           String activity, UUID indicator, Instant occurred, UUID statementId, String tenant) {

    public enum Kind { HOURS, RESOURCE_USE, INDICATOR_EVIDENCE }

    /** The usual categories of training hours (the province's rule set decides what each counts for). */
    public enum Category { ETHICS, KNOWLEDGE, PRACTICE, SELF_STUDY, ICT }

    /** The level that organised the training. */
    public enum Level { NATIONAL, PROVINCIAL, MUNICIPAL, COUNTY, SCHOOL }
}
