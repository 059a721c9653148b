package io.cloudops.orchestrator.artifact;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import io.cloudops.orchestrator.ops.ArtifactStore;
import io.cloudops.orchestrator.ops.LocalArtifactStore;

/**
 * Chooses the {@link ArtifactStore} at start-up from {@link ArtifactStoreConfig}: local files
 * unless Azure Blob Storage is configured. Replaces the local store's default bean.
 */
@ApplicationScoped
public class ArtifactStoreProducer {

    private static final Logger LOG = Logger.getLogger(ArtifactStoreProducer.class);
    static final String LOCAL = "local";
    static final String AZURE_BLOB = "azure-blob";

    @Produces
    @ApplicationScoped
    ArtifactStore artifactStore(ArtifactStoreConfig config, LocalArtifactStore local) {
        return select(config, local);
    }

    /** The store for this configuration (separate from CDI so that tests can call it). */
    static RoutingArtifactStore select(ArtifactStoreConfig config, ArtifactStore local) {
        String kind = config.store().map(String::strip).filter(s -> !s.isEmpty())
                .orElse(config.azure().connectionString().filter(s -> !s.isBlank()).isPresent() ? AZURE_BLOB : LOCAL);
        Map<String, ArtifactStore> readers = new LinkedHashMap<>();
        readers.put("local:", local);
        ArtifactStore writer = local;
        if (config.azure().connectionString().filter(s -> !s.isBlank()).isPresent()) {
            ArtifactStore blob = new AzureBlobArtifactStore(config.azure().connectionString().get(),
                    config.azure().container(), config.azure().connectTimeout(), config.azure().requestTimeout());
            readers.put(AzureBlobArtifactStore.SCHEME, blob);
            if (kind.equals(AZURE_BLOB)) {
                writer = blob;
            }
        } else if (kind.equals(AZURE_BLOB)) {
            throw new IllegalStateException(
                    "ARTIFACT_STORE=azure-blob needs AZURE_STORAGE_CONNECTION_STRING (cloudops.artifacts.azure.connection-string)");
        }
        if (!kind.equals(LOCAL) && !kind.equals(AZURE_BLOB)) {
            throw new IllegalStateException("ARTIFACT_STORE must be local or azure-blob, not " + kind);
        }
        LOG.infof("Artifacts are written to %s%s", kind,
                kind.equals(AZURE_BLOB) ? " (container " + config.azure().container() + ")" : "");
        return new RoutingArtifactStore(writer, readers);
    }
}
