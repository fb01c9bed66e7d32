package org.peiyu.assessment;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * A teacher's assessment was scored: a score (0-100) for every framework item it reached, for the portrait and other
 * readers of indicator evidence. Published in the transaction that stores the result.
 */
public record AssessmentScored(long teacherId, long campaignId, String source, Map<UUID, Double> scores,
                               double total, String level, OffsetDateTime at) {
}
