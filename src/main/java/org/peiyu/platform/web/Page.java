package org.peiyu.platform.web;

import java.util.List;

/**
 * One page of a list, with the total the user's scope holds. When {@code capped}, the total is a lower bound: there
 * are at least that many, and the user is asked to narrow the filters rather than page through them all.
 */
public record Page<T>(List<T> items, long total, int page, int size, boolean capped) {

    public Page(List<T> items, long total, int page, int size) {
        this(items, total, page, size, false);
    }

    public int pages() {
        return (int) Math.max(1, (total + size - 1) / size);
    }

    public boolean hasPrevious() {
        return page > 1;
    }

    public boolean hasNext() {
        return page < pages();
    }
}
