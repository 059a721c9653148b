package io.cloudops.orchestrator.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;

import io.cloudops.orchestrator.ops.ArtifactStore;

/**
 * Artifacts as block blobs in one Azure Storage container ({@code <area>/<key>}), for production,
 * where orchestrators share no disk. A write streams the content in 4 MiB blocks (at most two in
 * flight, so memory stays bounded whatever the size) and commits the block list only at the end, so
 * a failed upload never replaces a good blob; the SHA-256 computed on the way is kept as blob
 * metadata. URIs look like {@code azure-blob:<container>/backups/<key>} and are checked like local
 * keys, so nothing outside the container's two areas can be read or written.
 */
public class AzureBlobArtifactStore implements ArtifactStore {

    public static final String SCHEME = "azure-blob:";
    static final String SHA256_METADATA = "sha256";
    private static final long BLOCK_SIZE = 4L * 1024 * 1024;

    private final BlobContainerClient container;
    private volatile boolean containerReady;

    /**
     * Every request is bounded: {@code connectTimeout} to connect, {@code requestTimeout} per try and
     * between bytes, so that a stalled storage account fails the step instead of hanging it.
     */
    public AzureBlobArtifactStore(String connectionString, String containerName, Duration connectTimeout,
            Duration requestTimeout) {
        this.container = new BlobServiceClientBuilder()
                .connectionString(connectionString)
                .httpClient(new JdkHttpClientBuilder().connectionTimeout(connectTimeout).readTimeout(requestTimeout)
                        .writeTimeout(requestTimeout).responseTimeout(requestTimeout).build())
                .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, null, requestTimeout, null, null,
                        null))
                .buildClient()
                .getBlobContainerClient(containerName);
    }

    @Override
    public Stored write(String area, String key, InputStream content) throws IOException {
        BlobClient blob = blob(area, key);
        ensureContainer();
        MessageDigest sha = sha256();
        long size;
        try (OutputStream out = new DigestOutputStream(blob.getBlockBlobClient().getBlobOutputStream(
                new ParallelTransferOptions().setBlockSizeLong(BLOCK_SIZE).setMaxConcurrency(2), null, null, null,
                null), sha)) {
            size = content.transferTo(out);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (BlobStorageException e) {
            throw new IOException("upload of " + area + "/" + key + " failed: " + e.getErrorCode(), e);
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        blob.setMetadata(Map.of(SHA256_METADATA, hex));
        return new Stored(uriOf(area, key), size, hex);
    }

    @Override
    public InputStream open(String uri) throws IOException {
        try {
            return blobOf(uri).openInputStream();
        } catch (BlobStorageException e) {
            throw new IOException("cannot read " + uri + ": " + e.getErrorCode(), e);
        }
    }

    @Override
    public boolean exists(String uri) {
        try {
            return blobOf(uri).exists();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String uriOf(String area, String key) {
        ArtifactKeys.check(area, key);
        return SCHEME + container.getBlobContainerName() + "/" + area + "/" + key;
    }

    @Override
    public void delete(String uri) {
        blobOf(uri).deleteIfExists();
    }

    @Override
    public Stored describe(String uri) throws IOException {
        BlobProperties properties;
        try {
            properties = blobOf(uri).getProperties();
        } catch (BlobStorageException e) {
            throw new IOException("cannot read " + uri + ": " + e.getErrorCode(), e);
        }
        String sha = properties.getMetadata() == null ? null : properties.getMetadata().get(SHA256_METADATA);
        return sha == null ? ArtifactStore.super.describe(uri) : new Stored(uri, properties.getBlobSize(), sha);
    }

    /** The blob of a URI this store wrote; {@link IllegalArgumentException} for anything else. */
    BlobClient blobOf(String uri) {
        String prefix = SCHEME + container.getBlobContainerName() + "/";
        if (uri == null || !uri.startsWith(prefix)) {
            throw new IllegalArgumentException("not an artifact URI of this container: " + uri);
        }
        String rest = uri.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("artifact URI names no area: " + uri);
        }
        return blob(rest.substring(0, slash), rest.substring(slash + 1));
    }

    private BlobClient blob(String area, String key) {
        ArtifactKeys.check(area, key);
        return container.getBlobClient(area + "/" + key);
    }

    private void ensureContainer() {
        if (!containerReady) {
            container.createIfNotExists();
            containerReady = true;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
