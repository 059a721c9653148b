package io.cloudops.orchestrator.artifact;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where new artifacts are written. Local files by default; Azure Blob Storage when a storage
 * connection string is configured (or {@code ARTIFACT_STORE=azure-blob} says so). Artifacts already
 * written keep being read from the store their URI names.
 */
@ConfigMapping(prefix = "cloudops.artifacts")
public interface ArtifactStoreConfig {

    /**
     * {@code ARTIFACT_STORE}: {@code local} or {@code azure-blob}. Unset: {@code azure-blob} when
     * {@code AZURE_STORAGE_CONNECTION_STRING} is set, otherwise {@code local}.
     */
    Optional<String> store();

    /** Azure Blob Storage settings. */
    Azure azure();

    interface Azure {
        /** {@code AZURE_STORAGE_CONNECTION_STRING}: the storage account's connection string (a secret). */
        Optional<String> connectionString();

        /** {@code AZURE_STORAGE_CONTAINER}: the container that holds {@code artifacts/} and {@code backups/}; created when missing. */
        @WithDefault("cloudops-artifacts")
        String container();

        /** {@code AZURE_STORAGE_CONNECT_TIMEOUT}: to open a connection to the storage account. */
        @WithDefault("10s")
        Duration connectTimeout();

        /**
         * {@code AZURE_STORAGE_REQUEST_TIMEOUT}: the longest one request (one try: a block of an upload, a
         * read) may take, and the longest the client waits for the next bytes; then it is retried or fails.
         */
        @WithDefault("60s")
        Duration requestTimeout();
    }
}
