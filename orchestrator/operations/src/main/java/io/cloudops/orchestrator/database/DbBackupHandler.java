package io.cloudops.orchestrator.database;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.dbops.DbEngine;
import io.cloudops.common.dbops.DbTaskPayload;
import io.cloudops.common.task.TaskType;
import io.cloudops.orchestrator.client.TaskQueries;
import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.handler.TaskHandler;
import io.cloudops.orchestrator.ops.ArtifactStore;
import io.cloudops.orchestrator.ops.Simulation;

/**
 * {@code db_backup}: prepare (instance reachable, tools work) → dump (streamed into the artifact
 * store under {@code backups/<engine>/<instanceId>/<taskId>.<ext>}, checksummed on the way) → record
 * (the {@code backup} artifact, with {@code engine} and {@code instanceId} metadata that a restore
 * checks). Idempotent per step: the dump's key is derived from the task, so a retry replaces the
 * same file; the record step reuses an artifact an earlier attempt already recorded.
 */
@ApplicationScoped
public class DbBackupHandler implements TaskHandler {

    public static final String AREA = "backups";

    private final DatabaseInstances instances;
    private final ArtifactStore store;
    private final TaskQueries queries;
    private final Simulation simulation;
    private final DbPayloads payloads;

    DbBackupHandler(DatabaseInstances instances, ArtifactStore store, TaskQueries queries, Simulation simulation,
            DbPayloads payloads) {
        this.instances = instances;
        this.store = store;
        this.queries = queries;
        this.simulation = simulation;
        this.payloads = payloads;
    }

    @Override
    public String type() {
        return TaskType.DB_BACKUP.type();
    }

    @Override
    public void run(StepContext context) throws Exception {
        DbTaskPayload payload = payloads.read(context);
        DbEngine engine = payloads.engine(payload);
        DatabaseInstances.Resolved resolved = instances.resolve(engine, payload.instanceId());
        String key = engine.value() + "/" + payload.instanceId() + "/" + context.taskId() + "."
                + engine.fileExtension();
        switch (context.step()) {
            case "prepare" -> {
                context.log("backup of " + engine + " instance " + payload.instanceId()
                        + (resolved.simulated() ? " (simulated adapter)" : " (real adapter)"));
                resolved.adapter().prepare(context, resolved.instance());
            }
            case "dump" -> {
                if (resolved.simulated()) {
                    simulation.maybeFail(context, payloads.json(context));
                }
                ArtifactStore.Stored stored = resolved.adapter().dump(context, resolved.instance(), store, AREA, key);
                context.log("stored " + stored.uri() + ": " + stored.sizeBytes() + " bytes, sha256 " + stored.sha256());
                context.progress(100, stored.sizeBytes() + " bytes");
            }
            case "record" -> record(context, engine, payload, store.uriOf(AREA, key));
            default -> throw new PermanentTaskException("unknown step " + context.step(), null);
        }
    }

    private void record(StepContext context, DbEngine engine, DbTaskPayload payload, String uri) throws Exception {
        var existing = queries.get(context.taskId()).stream().flatMap(t -> t.artifacts().stream())
                .filter(a -> a.uri().equals(uri)).findFirst();
        if (existing.isPresent()) {
            context.log("artifact " + existing.get().id() + " was recorded by an earlier attempt");
            return;
        }
        if (!store.exists(uri)) {
            throw new IllegalStateException("the dump " + uri + " is missing from the artifact store");
        }
        ArtifactStore.Stored stored = store.describe(uri);
        var id = context.artifact("backup", uri, stored.sizeBytes(), stored.sha256(),
                Map.of("engine", engine.value(), "instanceId", payload.instanceId(), "format",
                        engine == DbEngine.AZURE_POSTGRES ? "pg_dump-custom" : "bacpac"));
        context.log("recorded backup artifact " + id + " (" + stored.sizeBytes() + " bytes, sha256 "
                + stored.sha256() + ")");
        context.progress(100, "artifact " + id);
    }
}
