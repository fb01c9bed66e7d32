package org.peiyu.platform.web;

import java.util.Set;

import org.peiyu.platform.security.Role;

/**
 * One item of the main navigation. Each module contributes its own as beans; the layout shows those whose roles
 * the user holds, in {@code order}.
 *
 * @param labelKey message key of the label
 * @param path     where it leads
 * @param roles    who sees it
 */
public record NavigationEntry(String labelKey, String path, Set<Role> roles, int order) {
}
