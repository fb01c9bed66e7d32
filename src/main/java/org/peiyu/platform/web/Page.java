package org.peiyu.platform.web;

import java.util.List;

/** One page of a list, with the total the user's scope holds. */
public record Page<T>(List<T> items, long total, int page, int size) {

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
