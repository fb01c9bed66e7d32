/** The audit log of sign-ins, changes and views or exports of personal data. */
@org.springframework.modulith.NamedInterface("audit")
package org.peiyu.platform.audit;
