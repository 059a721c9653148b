package io.cloudops.orchestrator.engine;

import java.time.Instant;

import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.engine.TaskStore.Claim;
import io.cloudops.orchestrator.engine.TaskStore.Finished;

/**
 * One write of the engine's group commit ({@link TaskStore}): a session's claim of an entity or the finish
 * of its run. The writer sets its result, or its own failure in a batch that committed.
 */
abstract sealed class EngineWrite permits EngineWrite.ClaimNext, EngineWrite.Finish {

    final String owner;
    RuntimeException failure;

    EngineWrite(String owner) {
        this.owner = owner;
    }

    abstract String entityId();

    /** A session taking an entity: the claim of its next task. */
    static final class ClaimNext extends EngineWrite {
        final String entityId;
        Claim result;

        ClaimNext(String entityId, String owner) {
            super(owner);
            this.entityId = entityId;
        }

        @Override
        String entityId() {
            return entityId;
        }
    }

    /** The finish of a run, and the claim of the entity's next task when it asks for one. */
    static final class Finish extends EngineWrite {
        final Finishing finishing;
        Finished result;

        Finish(Finishing finishing) {
            super(finishing.owner());
            this.finishing = finishing;
        }

        @Override
        String entityId() {
            return finishing.run().entityId;
        }
    }

    /** A run's ending worked out by {@link TaskStore#finish}, ready to be written. */
    record Finishing(RunJournal run, String owner, TaskStatus status, Instant now, Instant due, String error,
            String hint, RunJournal.Pending pending, TaskEvent statusEvent, boolean claimNext) {

        /** Whether the entity's next task is claimed with it (asked for, and no back-off to wait for first). */
        boolean claimsNext() {
            return claimNext && due == null;
        }

        Finished finished(Claim next) {
            return new Finished(status, due, pending.events(), statusEvent, next);
        }
    }
}
