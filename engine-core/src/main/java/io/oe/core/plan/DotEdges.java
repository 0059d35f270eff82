package io.oe.core.plan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The edges of a Graphviz DOT file, and the node ids it mentions, with their lines: enough of the DOT grammar for
 * comparing a hand-kept {@code .github/phase-flow.gv} with a plan (edge chains {@code a -> b -> c}, subgraphs as
 * endpoints {@code {a b} -> c}, attribute lists, comments, quoted and HTML ids). No Java library on Maven Central
 * reads DOT without also bringing a rendering engine, so this reader stays small and ignores what it does not need.
 */
public final class DotEdges {
    public record Edge(String from, String to, int line) {
    }

    public record Node(String id, int line) {
    }

    public record Graph(List<Edge> edges, List<Node> nodes) {
    }

    private record Token(String text, boolean id, int line) {
    }

    private final List<Token> tokens;
    private int at;
    private final List<Edge> edges = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();

    private DotEdges(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** @throws IllegalArgumentException naming the line of what it cannot read */
    public static Graph read(String text) {
        DotEdges d = new DotEdges(tokenize(text));
        d.graph();
        return new Graph(List.copyOf(d.edges), List.copyOf(d.nodes));
    }

    // ---- grammar: [strict] (graph|digraph) [ID] '{' stmt_list '}' ------------------------------------------------
    private void graph() {
        if (peekIs("strict")) {
            at++;
        }
        if (!peekIs("digraph") && !peekIs("graph")) {
            throw error("expected `digraph` or `graph`");
        }
        at++;
        if (peek() != null && peek().id()) {
            at++;
        }
        expect("{");
        statements();
        expect("}");
    }

    private void statements() {
        while (peek() != null && !peek().text().equals("}")) {
            statement();
            if (peekIs(";") || peekIs(",")) {
                at++;
            }
        }
    }

    private void statement() {
        Token t = peek();
        if (!t.id() && List.of("graph", "node", "edge").contains(t.text())) {
            at++;
            attributes();
            return;
        }
        if (t.id() && at + 1 < tokens.size() && tokens.get(at + 1).text().equals("=") && !tokens.get(at + 1).id()) {
            at += 2; // a graph attribute: key = value
            next();
            return;
        }
        List<Node> left = endpoint();
        while (peekIs("->") || peekIs("--")) {
            at++;
            List<Node> right = endpoint();
            for (Node a : left) {
                for (Node b : right) {
                    edges.add(new Edge(a.id(), b.id(), b.line()));
                }
            }
            left = right;
        }
        attributes();
    }

    /** A node id (with an optional port) or a subgraph: the nodes it stands for. */
    private List<Node> endpoint() {
        Token t = peek();
        if (t == null) {
            throw error("unexpected end of file");
        }
        if (t.text().equals("{") && !t.id() || t.text().equals("subgraph") && !t.id()) {
            if (t.text().equals("subgraph")) {
                at++;
                if (peek() != null && peek().id()) {
                    at++;
                }
            }
            int first = nodes.size();
            expect("{");
            statements();
            expect("}");
            Set<String> seen = new LinkedHashSet<>();
            List<Node> inside = new ArrayList<>();
            for (Node n : nodes.subList(first, nodes.size())) {
                if (seen.add(n.id())) {
                    inside.add(n);
                }
            }
            return inside;
        }
        if (!t.id()) {
            throw error("unexpected `" + t.text() + "`");
        }
        at++;
        Node n = new Node(t.text(), t.line());
        nodes.add(n);
        while (peekIs(":")) { // port and compass point
            at++;
            next();
        }
        return List.of(n);
    }

    private void attributes() {
        while (peekIs("[")) {
            int depth = 0;
            do {
                Token t = next();
                if (!t.id() && t.text().equals("[")) {
                    depth++;
                } else if (!t.id() && t.text().equals("]")) {
                    depth--;
                }
            } while (depth > 0);
        }
    }

    private Token peek() {
        return at < tokens.size() ? tokens.get(at) : null;
    }

    private boolean peekIs(String punct) {
        Token t = peek();
        return t != null && !t.id() && t.text().equals(punct);
    }

    private Token next() {
        if (at >= tokens.size()) {
            throw error("unexpected end of file");
        }
        return tokens.get(at++);
    }

    private void expect(String punct) {
        if (!peekIs(punct)) {
            throw error("expected `" + punct + "`" + (peek() == null ? " before the end of file" : ", found `" + peek().text() + "`"));
        }
        at++;
    }

    private IllegalArgumentException error(String message) {
        int line = peek() != null ? peek().line() : tokens.isEmpty() ? 1 : tokens.get(tokens.size() - 1).line();
        return new IllegalArgumentException("line " + line + ": " + message);
    }

    // ---- tokens -------------------------------------------------------------------------------------------------
    private static final Set<String> KEYWORDS = Set.of("strict", "graph", "digraph", "node", "edge", "subgraph");

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        boolean lineStart = true;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\n') {
                line++;
                i++;
                lineStart = true;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (lineStart && c == '#' || s.startsWith("//", i)) { // preprocessor line, line comment
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            lineStart = false;
            if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                line += (int) s.substring(i, end).chars().filter(ch -> ch == '\n').count();
                i = end;
                continue;
            }
            if (c == '"') {
                StringBuilder b = new StringBuilder();
                int start = line;
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        i++;
                    } else if (s.charAt(i) == '\n') {
                        line++;
                    }
                    b.append(s.charAt(i++));
                }
                if (i >= s.length()) {
                    throw new IllegalArgumentException("line " + start + ": a quoted string is not closed");
                }
                i++;
                out.add(new Token(b.toString(), true, start));
                continue;
            }
            if (c == '<') { // HTML string: nested angle brackets
                int depth = 0;
                int start = i;
                do {
                    char h = s.charAt(i);
                    depth += h == '<' ? 1 : h == '>' ? -1 : 0;
                    line += h == '\n' ? 1 : 0;
                    i++;
                } while (i < s.length() && depth > 0);
                out.add(new Token(s.substring(start + 1, Math.max(start + 1, i - 1)), true, line));
                continue;
            }
            if (s.startsWith("->", i) || s.startsWith("--", i)) {
                out.add(new Token(s.substring(i, i + 2), false, line));
                i += 2;
                continue;
            }
            if ("{}[];,=:".indexOf(c) >= 0) {
                out.add(new Token(String.valueOf(c), false, line));
                i++;
                continue;
            }
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.'
                    || s.charAt(i) == '-' && i == start)) {
                i++;
            }
            if (i == start) {
                throw new IllegalArgumentException("line " + line + ": unexpected character `" + c + "`");
            }
            String word = s.substring(start, i);
            out.add(new Token(word, !KEYWORDS.contains(word.toLowerCase(Locale.ROOT)), line));
        }
        return out;
    }
}
