/** Encryption, keyed hashing and masking of personal information. */
@org.springframework.modulith.NamedInterface("pii")
package org.peiyu.platform.pii;
