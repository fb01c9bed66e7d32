package org.peiyu.lrs;

import java.util.List;

/**
 * Facts no longer count for these teachers: their statement was voided, a rule change altered what it means, or the
 * actor was unlinked from the teacher. Published in the transaction that withdraws them.
 */
public record LearningFactsWithdrawn(List<LearningFact> facts) {
}
