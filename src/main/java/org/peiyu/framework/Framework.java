package org.peiyu.framework;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One stored version of a framework. */
public record Framework(long id, UUID identifier, String key, String version, String title, String titleEn,
                        String publisher, String provenance, Status status, String ownerPath, String createdBy,
                        OffsetDateTime createdAt, OffsetDateTime publishedAt, int itemCount) {

    public enum Status { DRAFT, PUBLISHED, RETIRED }
}
