package org.peiyu.framework;

import java.util.List;
import java.util.UUID;

/**
 * A framework version as read from a file, before it is stored: the same shape whatever the source (CASE, CSV, the
 * shipped standards data). Items are in tree order; a parent always comes before its children.
 */
public record FrameworkDraft(UUID identifier, String key, String version, String title, String titleEn,
                             String publisher, String provenance, List<Item> items, List<Crosswalk> crosswalks) {

    /** One item; {@code parent} is the identifier of its parent, null at the top. */
    public record Item(UUID identifier, UUID parent, String code, String type, String name, String nameEn,
                       String description, String verification, boolean verified) {
    }

    /** An association from an item of this framework to an item of another one. */
    public record Crosswalk(UUID origin, UUID destination, String type) {
    }
}
