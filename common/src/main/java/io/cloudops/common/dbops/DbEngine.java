package io.cloudops.common.dbops;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The database engines the control plane backs up and restores. The wire value is the path segment
 * of {@code /api/db/{engine}/...} and the {@code engine} metadata of a backup artifact, which a
 * restore must match.
 */
public enum DbEngine {
    /** Azure Database for PostgreSQL: {@code pg_dump} custom format / {@code pg_restore}. */
    AZURE_POSTGRES("azure-postgres", "dump"),
    /** Azure SQL Database: {@code SqlPackage} bacpac export / import. */
    AZURE_SQL("azure-sql", "bacpac");

    private final String value;
    private final String fileExtension;

    DbEngine(String value, String fileExtension) {
        this.value = value;
        this.fileExtension = fileExtension;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** Extension of this engine's backup files ({@code dump}, {@code bacpac}). */
    public String fileExtension() {
        return fileExtension;
    }

    public static Optional<DbEngine> find(String value) {
        return Arrays.stream(values()).filter(e -> e.value.equals(value)).findFirst();
    }

    /** The wire values, for error messages and documentation. */
    public static List<String> allowedValues() {
        return Arrays.stream(values()).map(DbEngine::value).toList();
    }

    @Override
    public String toString() {
        return value;
    }
}
