package io.cloudops.api.console;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Highlighting of a plan (YAML) and a diff on the task page, done on the server: each line becomes
 * tokens with a CSS class, which the template renders escaped. Enough of YAML for rendered
 * manifests (comments, keys, list dashes, scalars), and of the unified diff format (file headers,
 * hunks, added and removed lines); no script, so it works under the page's strict CSP.
 */
public final class CodeHighlighting {

    /** A piece of a line and how it looks ({@code c-key}, {@code c-string}, ...; empty: plain). */
    public record Token(String kind, String text) {
    }

    /** One line of code; {@code kind} classes the whole line (a diff's added line), else empty. */
    public record Line(String kind, List<Token> tokens) {
    }

    private static final Pattern KEY = Pattern.compile("^(\\s*)((?:- )*)([\\w.\\-/\"']+)(:)( .*)?$");
    private static final Pattern ITEM = Pattern.compile("^(\\s*)((?:- )+)(.*)$");
    private static final Pattern LITERAL = Pattern.compile("-?\\d+(\\.\\d+)?|true|false|null|~");

    private CodeHighlighting() {
    }

    public static List<Line> yaml(String text) {
        List<Line> lines = new ArrayList<>();
        for (String line : text.lines().toList()) {
            lines.add(new Line("", yamlTokens(line)));
        }
        return lines;
    }

    public static List<Line> diff(String text) {
        List<Line> lines = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String kind = line.startsWith("+++") || line.startsWith("---")
                    ? "c-file"
                    : line.startsWith("@@")
                            ? "c-hunk"
                            : line.startsWith("+") ? "c-add" : line.startsWith("-") ? "c-del" : "";
            lines.add(new Line(kind, List.of(new Token("", line))));
        }
        return lines;
    }

    /** The line's text again, from its tokens (nothing is dropped or added). */
    static String text(Line line) {
        StringBuilder text = new StringBuilder();
        line.tokens().forEach(t -> text.append(t.text()));
        return text.toString();
    }

    private static List<Token> yamlTokens(String line) {
        List<Token> tokens = new ArrayList<>();
        String trimmed = line.strip();
        if (trimmed.startsWith("#")) {
            tokens.add(new Token("c-comment", line));
            return tokens;
        }
        if (trimmed.equals("---")) {
            tokens.add(new Token("c-punct", line));
            return tokens;
        }
        Matcher key = KEY.matcher(line);
        if (key.matches()) {
            tokens.add(new Token("", key.group(1)));
            if (!key.group(2).isEmpty()) {
                tokens.add(new Token("c-punct", key.group(2)));
            }
            tokens.add(new Token("c-key", key.group(3)));
            tokens.add(new Token("c-punct", key.group(4)));
            if (key.group(5) != null) {
                tokens.add(new Token("", " "));
                tokens.add(scalar(key.group(5).substring(1)));
            }
            return tokens;
        }
        Matcher item = ITEM.matcher(line);
        if (item.matches()) {
            tokens.add(new Token("", item.group(1)));
            tokens.add(new Token("c-punct", item.group(2)));
            tokens.add(scalar(item.group(3)));
            return tokens;
        }
        tokens.add(new Token("", line));
        return tokens;
    }

    private static Token scalar(String value) {
        String v = value.strip();
        if (v.startsWith("\"") || v.startsWith("'")) {
            return new Token("c-string", value);
        }
        if (v.startsWith("#")) {
            return new Token("c-comment", value);
        }
        return new Token(LITERAL.matcher(v).matches() ? "c-literal" : "c-value", value);
    }
}
