package org.peiyu.platform.security;

import java.io.Serializable;

/** A role held over one unit of the tree, named by the unit's path (empty for the whole platform). */
public record Grant(Role role, String unitPath) implements Serializable {
}
