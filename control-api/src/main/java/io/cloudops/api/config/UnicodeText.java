package io.cloudops.api.config;

/**
 * The one rule for text a client sends, in bodies, paths, queries and headers alike: no NUL
 * ({@code U+0000}, which PostgreSQL refuses in text and JSON) and no unpaired surrogate (which is
 * no character at all, cannot be encoded as UTF-8 and so can be neither stored nor answered).
 * Everything else, right-to-left overrides and zero-width characters included, is text like any
 * other: the console escapes what it shows.
 */
public final class UnicodeText {

    /** What a refused value is told, after its field name. */
    public static final String MESSAGE = "must be valid Unicode text without NUL (\\u0000) or unpaired surrogates";

    private UnicodeText() {
    }

    /** Whether {@code text} may be stored and shown (null is). */
    public static boolean isAcceptable(String text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\0') {
                return false;
            }
            if (Character.isHighSurrogate(ch)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(ch)) {
                return false;
            }
        }
        return true;
    }
}
