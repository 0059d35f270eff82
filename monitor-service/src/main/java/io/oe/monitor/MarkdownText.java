package io.oe.monitor;

import java.util.regex.Pattern;

/**
 * Plan and agent text (names, titles, errors, reasons, violations) written into the Markdown report as text that no
 * Markdown reader interprets: no image, link, emphasis, HTML or entity comes out of it, and it stays on its line (a
 * table row stays one row). The report's own structure is the only Markdown in it.
 */
final class MarkdownText {
    /** Characters that start inline Markdown (or GFM) constructs wherever they are, and the table separator. */
    private static final String INLINE = "\\`*[]<>&|~";
    private static final Pattern LINE_BREAKS = Pattern.compile("\\R");
    /** A leading "#", ">", "-", "+", "=" or "1." / "1)" would start a block when the text begins a list item's line. */
    private static final Pattern BLOCK_START = Pattern.compile("^(\\d{1,9})([.)])|^([#>+=-])");
    /** Something that can be a code span as it is: what ids, checksums and generated names are made of. */
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_.:/@+-]+");

    private MarkdownText() {
    }

    /** The text, escaped: what it says is what a reader of the rendered report sees. */
    static String text(String s) {
        if (s == null) {
            return "";
        }
        String oneLine = oneLine(s);
        StringBuilder out = new StringBuilder(oneLine.length() + 16);
        for (int i = 0; i < oneLine.length(); i++) {
            char c = oneLine.charAt(i);
            if (INLINE.indexOf(c) >= 0 || c == '_' && !intraword(oneLine, i)) {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        var start = BLOCK_START.matcher(out);
        if (start.find()) {
            out.insert(start.group(1) != null ? start.start(2) : 0, '\\');
        }
        return out.toString();
    }

    /**
     * The text on one line: line breaks and tabs become spaces, other control characters (terminal escapes: the
     * Markdown report is also printed) the replacement character.
     */
    static String oneLine(String s) {
        String spaced = LINE_BREAKS.matcher(s == null ? "" : s).replaceAll(" ").replace('\t', ' ');
        StringBuilder out = new StringBuilder(spaced.length());
        spaced.chars().forEach(c -> out.append(Character.isISOControl(c) ? '\uFFFD' : (char) c));
        return out.toString();
    }

    /** An identifier as a code span; one that is not a plain identifier is shown as escaped text instead. */
    static String code(String s) {
        return s != null && PLAIN_ID.matcher(s).matches() ? "`" + s + "`" : text(s);
    }

    /** "a_b" is never emphasis in CommonMark, so ids like waiting_for_intervention stay readable. */
    private static boolean intraword(String s, int i) {
        return i > 0 && i < s.length() - 1 && Character.isLetterOrDigit(s.charAt(i - 1))
                && Character.isLetterOrDigit(s.charAt(i + 1));
    }
}
