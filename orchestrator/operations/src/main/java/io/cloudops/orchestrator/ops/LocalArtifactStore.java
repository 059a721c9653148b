package io.cloudops.orchestrator.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;
import io.quarkus.arc.Unremovable;

/**
 * Artifacts as files under the data folder ({@code data/artifacts}, {@code data/backups}). URIs look
 * like {@code local:artifacts/<taskId>/plan.yaml}; every key and URI is resolved and checked to stay
 * inside its area, so no id or path can escape the store. Writes go to a temporary file first and
 * are moved into place atomically.
 */
@ApplicationScoped
@DefaultBean
@Unremovable // handlers inject it; it also registers OperationsConfig, whose keys application.properties sets
public class LocalArtifactStore implements ArtifactStore {

    static final String SCHEME = "local:";
    private static final Set<String> AREAS = Set.of("artifacts", "backups");

    private final Path root;

    LocalArtifactStore(OperationsConfig config) {
        this.root = Path.of(config.dataDir()).toAbsolutePath().normalize();
    }

    @Override
    public Stored write(String area, String key, InputStream content) throws IOException {
        Path target = resolve(area, key);
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), ".partial-", ".tmp");
        MessageDigest sha = sha256();
        long size;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
            size = content.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Stored(uriOf(area, key), size, HexFormat.of().formatHex(sha.digest()));
    }

    @Override
    public InputStream open(String uri) throws IOException {
        return Files.newInputStream(pathOf(uri));
    }

    @Override
    public boolean exists(String uri) {
        try {
            return Files.isRegularFile(pathOf(uri));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String uriOf(String area, String key) {
        resolve(area, key);
        return SCHEME + area + "/" + key;
    }

    @Override
    public void delete(String uri) throws IOException {
        Files.deleteIfExists(pathOf(uri));
    }

    /** The file of a {@code local:} URI; throws {@link IllegalArgumentException} for anything else. */
    public Path pathOf(String uri) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            throw new IllegalArgumentException("not a local artifact URI: " + uri);
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("artifact URI names no area: " + uri);
        }
        return resolve(rest.substring(0, slash), rest.substring(slash + 1));
    }

    private Path resolve(String area, String key) {
        if (!AREAS.contains(area)) {
            throw new IllegalArgumentException("unknown artifact area " + area);
        }
        Path base = root.resolve(area);
        Path path = base.resolve(key).normalize();
        if (!path.startsWith(base) || path.equals(base) || key.contains("\0")) {
            throw new IllegalArgumentException("artifact key escapes the store: " + key);
        }
        return path;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
