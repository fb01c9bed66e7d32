package org.peiyu.platform.security;

/** The roles of the platform. Admin roles are bound to a unit of the administrative tree and see its subtree. */
public enum Role {
    TEACHER, SCHOOL_ADMIN, DISTRICT_ADMIN, CITY_ADMIN, PROVINCE_ADMIN, REVIEWER, SYSTEM_ADMIN;

    /** Everyone who administers something: a unit of the tree, or the whole platform. */
    public static final java.util.Set<Role> ADMINS = java.util.Collections.unmodifiableSet(java.util.EnumSet.of(
            SYSTEM_ADMIN, PROVINCE_ADMIN, CITY_ADMIN, DISTRICT_ADMIN, SCHOOL_ADMIN));

    public boolean isRegionAdmin() {
        return this == SCHOOL_ADMIN || this == DISTRICT_ADMIN || this == CITY_ADMIN || this == PROVINCE_ADMIN;
    }

    public String authority() {
        return "ROLE_" + name();
    }
}
