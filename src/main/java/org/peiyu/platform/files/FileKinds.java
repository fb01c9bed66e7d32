package org.peiyu.platform.files;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What an uploaded file is, decided by its content, never by its name: PDF, JPEG, PNG, MP4 and the Office Open XML
 * documents; anything else is not accepted as evidence or proof.
 */
public final class FileKinds {

    private FileKinds() {
    }

    /** The kind of a file by its first bytes (and, for Office files, the parts inside), or null if not accepted. */
    public static String of(byte[] b) {
        if (b.length >= 4 && b[0] == '%' && b[1] == 'P' && b[2] == 'D' && b[3] == 'F') {
            return "application/pdf";
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "image/jpeg";
        }
        if (b.length >= 4 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            return "video/mp4";
        }
        if (b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) {
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(b))) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                    String n = e.getName();
                    if (n.startsWith("word/")) {
                        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
                    }
                    if (n.startsWith("ppt/")) {
                        return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
                    }
                    if (n.startsWith("xl/")) {
                        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                    }
                }
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

}
