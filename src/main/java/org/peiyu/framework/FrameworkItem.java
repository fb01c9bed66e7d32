package org.peiyu.framework;

import java.util.UUID;

/** An item of a stored framework version: a dimension, sub-dimension, indicator, micro-capability, … */
public record FrameworkItem(long id, long frameworkId, UUID identifier, Long parentId, String code, int level,
                            String type, String name, String nameEn, String description, String verification,
                            boolean verified) {

    /** The name in the reader's language, falling back to Chinese. */
    public String name(boolean english) {
        return english && nameEn != null && !nameEn.isBlank() ? nameEn : name;
    }
}
