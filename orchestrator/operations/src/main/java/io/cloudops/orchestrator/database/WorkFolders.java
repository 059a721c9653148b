package io.cloudops.orchestrator.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch folders of database steps under {@code <data-dir>/work} (SqlPackage's bacpac files, a
 * restore's local copy of its backup). A step removes its folder when it ends, whatever the outcome.
 */
final class WorkFolders {

    private WorkFolders() {
    }

    static Path root(String dataDir) {
        return Path.of(dataDir).toAbsolutePath().normalize().resolve("work");
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
