package io.cloudops.orchestrator.queue;

/**
 * Paused queues as the claim reads them (the engine's {@code QueueHeads}): a row in {@code queue_pause}
 * for the entity, or the row {@link #ALL_ENTITIES} (maintenance). Written by
 * {@link io.cloudops.orchestrator.client.QueueControl}.
 */
public final class QueuePauses {

    /** The {@code queue_pause} row that pauses every entity. */
    public static final String ALL_ENTITIES = "*";

    private QueuePauses() {
    }
}
