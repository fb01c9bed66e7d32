package org.peiyu.lrs;

import java.util.List;

/**
 * Facts now count for teachers: drawn from new statements, redrawn after a rule changed, or the facts of an actor
 * just linked to a teacher. Published in the transaction that records them.
 */
public record LearningFactsRecorded(List<LearningFact> facts) {
}
