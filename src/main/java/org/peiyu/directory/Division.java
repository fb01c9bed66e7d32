package org.peiyu.directory;

/** A province (level 1), city (2) or district/county (3), by its GB/T 2260 code. */
public record Division(String code, String name, int level, String parentCode, String path) {

    /** The path of a division: its ancestors' codes and its own, e.g. {@code /440000/440300/440305/}. */
    static String pathOf(String parentPath, String code) {
        return (parentPath == null ? "/" : parentPath) + code + "/";
    }

    /** Whether {@code code} fits the level and parent: 2 digits of province, 2 of city, 2 of district. */
    static boolean codeFits(String code, int level, String parentCode) {
        if (code == null || !code.matches("[1-9]\\d{5}")) {
            return false;
        }
        return switch (level) {
            case 1 -> code.endsWith("0000") && parentCode == null;
            case 2 -> code.endsWith("00") && !code.endsWith("0000") && parentCode != null
                    && parentCode.startsWith(code.substring(0, 2));
            case 3 -> !code.endsWith("00") && parentCode != null && parentCode.startsWith(code.substring(0, 4));
            default -> false;
        };
    }
}
