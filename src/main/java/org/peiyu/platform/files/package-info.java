/** Reading uploaded tables and writing .xlsx exports. */
@org.springframework.modulith.NamedInterface("files")
package org.peiyu.platform.files;
