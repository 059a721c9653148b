package io.cloudops.orchestrator.artifact;

import java.util.Set;

/**
 * The rules every artifact key obeys, whatever the store: a known area, and a relative path of plain
 * segments (no {@code ..}, no {@code .}, no empty segment, no backslash, no control character), so
 * that no key or URI can reach outside its store, on a disk or in a container.
 */
public final class ArtifactKeys {

    public static final Set<String> AREAS = Set.of("artifacts", "backups");
    private static final int MAX_KEY_LENGTH = 1000;

    private ArtifactKeys() {
    }

    /** Throws {@link IllegalArgumentException} unless {@code area/key} is a safe artifact name. */
    public static void check(String area, String key) {
        if (!AREAS.contains(area)) {
            throw new IllegalArgumentException("unknown artifact area " + area);
        }
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("artifact key must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        if (key.startsWith("/") || key.contains("\\") || key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("artifact key escapes the store: " + key);
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("artifact key escapes the store: " + key);
            }
        }
    }
}
