package org.peiyu.directory;

import java.text.Normalizer;

/** Normalises text typed or pasted by people: full-width forms, stray and ideographic spaces. */
final class Text {
    private Text() {
    }

    static String clean(String s) {
        if (s == null) {
            return null;
        }
        String n = Normalizer.normalize(s, Normalizer.Form.NFKC)
                .replace('\u3000', ' ').replace('\u00A0', ' ').replace("\u200B", "").replace("\uFEFF", "")
                .replaceAll("\\s+", " ").strip();
        // "张 三" → "张三": a space between two Chinese characters is a typing slip
        n = n.replaceAll("(?<=\\p{IsHan}) (?=\\p{IsHan})", "");
        return n.isEmpty() ? null : n;
    }
}
