/** The web shell: navigation, layout, languages, and how errors are answered. */
@org.springframework.modulith.NamedInterface("web")
package org.peiyu.platform.web;
