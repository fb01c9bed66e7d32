package org.peiyu.lrs;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map that forgets its least recently used entries beyond a size; callers synchronise on it. */
final class Lru<K, V> extends LinkedHashMap<K, V> {

    private final int size;

    Lru(int size) {
        super(1024, 0.75f, true);
        this.size = size;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > this.size;
    }
}
