/** Who is signed in and what they may see. */
@org.springframework.modulith.NamedInterface("security")
package org.peiyu.platform.security;
