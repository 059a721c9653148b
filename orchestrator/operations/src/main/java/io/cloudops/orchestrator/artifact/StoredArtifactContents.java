package io.cloudops.orchestrator.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudops.orchestrator.client.ArtifactContents;
import io.cloudops.orchestrator.ops.ArtifactStore;

/** {@link ArtifactContents} from the configured {@link ArtifactStore} (local disk or Azure Blob). */
@ApplicationScoped
public class StoredArtifactContents implements ArtifactContents {

    private static final Logger LOG = Logger.getLogger(StoredArtifactContents.class);

    private final ArtifactStore store;

    StoredArtifactContents(ArtifactStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> text(String uri, int maxBytes) {
        try (InputStream in = store.open(uri)) {
            byte[] head = in.readNBytes(maxBytes + 1);
            return head.length > maxBytes ? Optional.empty() : Optional.of(new String(head, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Artifact %s cannot be read: %s", uri, e.getMessage());
            return Optional.empty();
        }
    }
}
