package io.oe.gateway;

/** UTF-8 sizes of Java text without encoding it: what caps and chunk sizes count. */
final class Utf8 {
    private Utf8() {
    }

    static int length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            n += bytes(c);
            i += Character.charCount(c);
        }
        return n;
    }

    /** The longest start of {@code s} of at most {@code maxBytes} UTF-8 bytes, never splitting a code point. */
    static String prefix(String s, int maxBytes) {
        int n = 0;
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            if (n + bytes(c) > maxBytes) {
                break;
            }
            n += bytes(c);
            i += Character.charCount(c);
        }
        return s.substring(0, i);
    }

    private static int bytes(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }
}
