package org.peiyu.platform.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A TrueType font read for embedding in a PDF: a character's glyph and advance, and a subset of the font with only
 * the glyphs a document uses (the others left empty, so glyph ids stay as they are and a PDF may name glyphs by id).
 */
final class TrueTypeFont {

    /** The platform's font: Noto Sans SC, read once on first use. */
    static final String RESOURCE = "/fonts/ttf/NotoSansSC/NotoSansSC-Regular.ttf";

    private static volatile TrueTypeFont standard;

    private final ByteBuffer b;
    private final Map<String, int[]> tables = new TreeMap<>(); // tag → offset, length
    final String name;
    final int unitsPerEm;
    final int ascent;
    final int descent;
    final int[] bbox;
    private final int glyphs;
    private final int hMetrics;
    private final boolean longLoca;
    private final int cmap; // offset of the format 12 or 4 subtable of the Windows Unicode cmap
    private final int cmapFormat;

    static TrueTypeFont standard() {
        TrueTypeFont f = standard;
        if (f == null) {
            try (InputStream in = TrueTypeFont.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("font missing from the classpath: " + RESOURCE);
                }
                standard = f = new TrueTypeFont(in.readAllBytes(), "NotoSansSC-Regular");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return f;
    }

    TrueTypeFont(byte[] font, String name) {
        this.b = ByteBuffer.wrap(font);
        this.name = name;
        int n = u16(4);
        for (int i = 0; i < n; i++) {
            int at = 12 + 16 * i;
            tables.put(new String(font, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1),
                    new int[] {b.getInt(at + 8), b.getInt(at + 12)});
        }
        int head = table("head");
        unitsPerEm = u16(head + 18);
        bbox = new int[] {scale(b.getShort(head + 36)), scale(b.getShort(head + 38)), scale(b.getShort(head + 40)),
                scale(b.getShort(head + 42))};
        longLoca = b.getShort(head + 50) == 1;
        int hhea = table("hhea");
        ascent = scale(b.getShort(hhea + 4));
        descent = scale(b.getShort(hhea + 6));
        hMetrics = u16(hhea + 34);
        glyphs = u16(table("maxp") + 4);
        int cmapTable = table("cmap");
        int found = -1;
        int format = 0;
        for (int i = 0; i < u16(cmapTable + 2); i++) {
            int platform = u16(cmapTable + 4 + 8 * i);
            int encoding = u16(cmapTable + 6 + 8 * i);
            int at = cmapTable + b.getInt(cmapTable + 8 + 8 * i);
            if (platform == 3 && (encoding == 10 && u16(at) == 12 || encoding == 1 && u16(at) == 4 && format != 12)) {
                found = at;
                format = u16(at);
            }
        }
        if (found < 0) {
            throw new IllegalArgumentException("no Unicode cmap in " + name);
        }
        cmap = found;
        cmapFormat = format;
    }

    /** The glyph of a character, 0 (the missing glyph) where the font has none. */
    int glyph(int codePoint) {
        if (cmapFormat == 12) {
            int lo = 0;
            int hi = b.getInt(cmap + 12) - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int at = cmap + 16 + 12 * mid;
                if (codePoint < b.getInt(at)) {
                    hi = mid - 1;
                } else if (codePoint > b.getInt(at + 4)) {
                    lo = mid + 1;
                } else {
                    return b.getInt(at + 8) + codePoint - b.getInt(at);
                }
            }
            return 0;
        }
        if (codePoint > 0xFFFF) {
            return 0;
        }
        int segments = u16(cmap + 6) / 2;
        int ends = cmap + 14;
        int starts = ends + 2 * segments + 2;
        int deltas = starts + 2 * segments;
        int ranges = deltas + 2 * segments;
        for (int i = 0; i < segments; i++) {
            if (codePoint <= u16(ends + 2 * i)) {
                int start = u16(starts + 2 * i);
                if (codePoint < start) {
                    return 0;
                }
                int range = u16(ranges + 2 * i);
                int g = range == 0 ? codePoint : u16(ranges + 2 * i + range + 2 * (codePoint - start));
                return g == 0 ? 0 : (g + b.getShort(deltas + 2 * i)) & 0xFFFF;
            }
        }
        return 0;
    }

    /** A glyph's advance in thousandths of the em. */
    int advance(int glyph) {
        return scale(u16(table("hmtx") + 4 * Math.min(glyph, hMetrics - 1)));
    }

    /**
     * The font with only these glyphs (and the parts of composite ones, and the missing glyph) left in, for a PDF's
     * FontFile2: the tables a PDF reader needs, glyph ids unchanged.
     */
    byte[] subset(Set<Integer> used) {
        Set<Integer> keep = new TreeSet<>(used);
        keep.add(0);
        Deque<Integer> todo = new ArrayDeque<>(keep);
        while (!todo.isEmpty()) { // a composite glyph is drawn from others
            int g = todo.pop();
            int[] at = glyphAt(g);
            if (at[1] > 10 && b.getShort(at[0]) < 0) {
                int p = at[0] + 10;
                int flags;
                do {
                    flags = u16(p);
                    if (keep.add(u16(p + 2))) {
                        todo.push(u16(p + 2));
                    }
                    p += 4 + ((flags & 1) != 0 ? 4 : 2) + ((flags & 8) != 0 ? 2 : (flags & 0x40) != 0 ? 4
                            : (flags & 0x80) != 0 ? 8 : 0);
                } while ((flags & 0x20) != 0);
            }
        }
        ByteArrayOutputStream glyf = new ByteArrayOutputStream();
        ByteBuffer loca = ByteBuffer.allocate(4 * (glyphs + 1));
        ByteBuffer hmtx = ByteBuffer.allocate(4 * hMetrics + 2 * (glyphs - hMetrics));
        int hmtxAt = table("hmtx");
        for (int g = 0; g < glyphs; g++) {
            loca.putInt(glyf.size());
            if (keep.contains(g)) {
                int[] at = glyphAt(g);
                glyf.write(b.array(), at[0], at[1]);
                while (glyf.size() % 4 != 0) {
                    glyf.write(0);
                }
                if (g < hMetrics) {
                    hmtx.putInt(4 * g, b.getInt(hmtxAt + 4 * g));
                }
            }
        }
        loca.putInt(glyf.size());
        byte[] head = copy("head");
        ByteBuffer.wrap(head).putInt(8, 0).putShort(50, (short) 1); // no checksum adjustment; long offsets
        Map<String, byte[]> out = new TreeMap<>();
        out.put("head", head);
        out.put("hhea", copy("hhea"));
        out.put("maxp", copy("maxp"));
        out.put("hmtx", hmtx.array());
        out.put("loca", loca.array());
        out.put("glyf", glyf.toByteArray());
        for (String hinting : new String[] {"cvt ", "fpgm", "prep"}) {
            if (tables.containsKey(hinting)) {
                out.put(hinting, copy(hinting));
            }
        }
        return write(out);
    }

    private static byte[] write(Map<String, byte[]> tables) {
        int n = tables.size();
        int power = Integer.highestOneBit(n);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer dir = ByteBuffer.allocate(12 + 16 * n);
        dir.putInt(0x00010000).putShort((short) n).putShort((short) (16 * power))
                .putShort((short) Integer.numberOfTrailingZeros(power)).putShort((short) (16 * (n - power)));
        int offset = 12 + 16 * n;
        for (Map.Entry<String, byte[]> t : tables.entrySet()) {
            byte[] data = t.getValue();
            dir.put(t.getKey().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).putInt(checksum(data))
                    .putInt(offset).putInt(data.length);
            offset += (data.length + 3) & ~3;
        }
        out.writeBytes(dir.array());
        for (byte[] data : tables.values()) {
            out.writeBytes(data);
            out.writeBytes(new byte[((data.length + 3) & ~3) - data.length]);
        }
        return out.toByteArray();
    }

    private static int checksum(byte[] data) {
        int sum = 0;
        ByteBuffer p = ByteBuffer.wrap(java.util.Arrays.copyOf(data, (data.length + 3) & ~3));
        while (p.hasRemaining()) {
            sum += p.getInt();
        }
        return sum;
    }

    /** Where a glyph's outline is in the file, and how long it is. */
    private int[] glyphAt(int g) {
        int loca = table("loca");
        int from = longLoca ? b.getInt(loca + 4 * g) : 2 * u16(loca + 2 * g);
        int to = longLoca ? b.getInt(loca + 4 * g + 4) : 2 * u16(loca + 2 * g + 2);
        return new int[] {table("glyf") + from, to - from};
    }

    private byte[] copy(String tag) {
        int[] t = tables.get(tag);
        return java.util.Arrays.copyOfRange(b.array(), t[0], t[0] + t[1]);
    }

    private int table(String tag) {
        int[] t = tables.get(tag);
        if (t == null) {
            throw new IllegalArgumentException("no " + tag + " table in " + name);
        }
        return t[0];
    }

    private int u16(int at) {
        return b.getShort(at) & 0xFFFF;
    }

    private int scale(int units) {
        return units * 1000 / unitsPerEm;
    }
}
