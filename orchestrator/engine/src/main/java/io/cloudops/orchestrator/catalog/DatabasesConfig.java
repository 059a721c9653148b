package io.cloudops.orchestrator.catalog;

import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * The database instances the real adapters may touch, by instance id:
 * {@code cloudops.databases.<instanceId>.engine|host|port|database|user|password|...}. An instance
 * listed here is backed up and restored with the real tools ({@code pg_dump}/{@code pg_restore},
 * {@code SqlPackage}); an instance that is not listed is simulated in demo mode and refused
 * otherwise. Secrets belong in the environment, referenced from the properties file
 * ({@code cloudops.databases.orders.password=${ORDERS_PG_PASSWORD}}); they are handed to the tools
 * through a private file or the child's environment, never its command line.
 */
@ConfigMapping(prefix = "cloudops.databases")
public interface DatabasesConfig {

    /** Configured instances by id (the {@code instanceId} of {@code /api/db/{engine}/{instanceId}}). */
    @WithParentName
    Map<String, Instance> instances();

    /** One database instance. */
    interface Instance {

        /** {@code azure-postgres} or {@code azure-sql}; must match the engine of the request. */
        String engine();

        /** Server host: {@code myserver.postgres.database.azure.com}, {@code myserver.database.windows.net}. */
        String host();

        /** Server port; default 5432 (PostgreSQL) or 1433 (Azure SQL). */
        Optional<Integer> port();

        /** The database a backup dumps. */
        String database();

        /** PostgreSQL: the login role. */
        Optional<String> user();

        /**
         * PostgreSQL: the password, written to a private (0600) pgpass file for the tool's run and
         * deleted after it. Unset: the server must not ask for one (trust, peer, or a pgpass the
         * operator manages).
         */
        Optional<String> password();

        /** PostgreSQL: libpq {@code sslmode} ({@code require} on Azure). */
        @WithDefault("prefer")
        String sslmode();

        /** PostgreSQL: the database to connect to when a restore must create its target. */
        @WithDefault("postgres")
        String maintenanceDatabase();

        /**
         * Azure SQL: the {@code Authentication} of the SqlPackage connection string. The default,
         * {@code Active Directory Default}, takes its credential from the environment (service
         * principal, workload identity or managed identity), so no secret is on the command line.
         */
        @WithDefault("Active Directory Default")
        String authentication();

        /** Azure SQL: Entra tenant of the service principal, passed as {@code AZURE_TENANT_ID}. */
        Optional<String> tenantId();

        /** Azure SQL: client id of the service principal or user-assigned identity, as {@code AZURE_CLIENT_ID}. */
        Optional<String> clientId();

        /** Azure SQL: the service principal's secret, passed to SqlPackage as {@code AZURE_CLIENT_SECRET} only. */
        Optional<String> clientSecret();
    }
}
