package org.peiyu.directory;

/** A node of the administrative tree that roles are bound to: a division or a school. */
public record Unit(String code, String name, String path, Kind kind) {
    public enum Kind { PROVINCE, CITY, DISTRICT, SCHOOL }
}
