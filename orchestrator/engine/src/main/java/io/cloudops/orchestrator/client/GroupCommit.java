package io.cloudops.orchestrator.client;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

import io.cloudops.orchestrator.engine.Tx;

/**
 * Group commit: callers that want their item written at the same moment share one transaction.
 * A caller that finds a free writer slot becomes the writer: it takes every item waiting (its own
 * included, up to {@code maxBatch}), writes them in one transaction and wakes the others; callers
 * that arrive while the slots are busy wait and are written by the next writer. Nothing waits for a
 * timer: an item arriving on an idle system is written at once by its own thread, and under load
 * the batch grows by itself to what arrived during the previous commit.
 *
 * <p>
 * Every caller returns only after the transaction holding its item committed (or throws that
 * transaction's failure), so "accepted means committed" holds per item.
 *
 * <p>
 * The wait is bounded ({@code timeout}): a caller whose item no writer took yet withdraws it and
 * gets a plain database failure (nothing was written); a caller whose item is being written cannot
 * withdraw it and gets {@link TaskErrors.CommitOutcomeUnknown}: it may yet commit.
 */
public final class GroupCommit<T> {

    private static final class Entry<T> {
        final T item;
        boolean done;
        Throwable failure;

        Entry(T item) {
            this.item = item;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private final ArrayDeque<Entry<T>> waiting = new ArrayDeque<>();
    private final Consumer<List<T>> writer;
    private final Predicate<Throwable> dataDependent;
    private final int maxWriters;
    private final int maxBatch;
    private final Duration timeout;
    private final IntConsumer onCommit;
    private int writers;

    /**
     * @param writer writes a batch in one transaction; throws when it did not commit
     * @param dataDependent whether a failure may be caused by one item's data (a constraint, a bad
     *        value): then every item of the failed batch is written again on its own, so that one
     *        bad item cannot fail the others
     * @param maxWriters transactions in flight at once (commits overlap with the next batch's work)
     * @param maxBatch items per transaction
     * @param timeout how long a caller waits for another caller's transaction holding its item
     */
    public GroupCommit(Consumer<List<T>> writer, Predicate<Throwable> dataDependent, int maxWriters, int maxBatch,
            Duration timeout) {
        this(writer, dataDependent, maxWriters, maxBatch, timeout, size -> {
        });
    }

    /** As above; {@code onCommit} is told the size of every batch that committed (a metric). */
    public GroupCommit(Consumer<List<T>> writer, Predicate<Throwable> dataDependent, int maxWriters, int maxBatch,
            Duration timeout, IntConsumer onCommit) {
        this.onCommit = onCommit;
        this.writer = writer;
        this.dataDependent = dataDependent;
        this.maxWriters = maxWriters;
        this.maxBatch = maxBatch;
        this.timeout = timeout;
    }

    /**
     * Returns once {@code item} is committed; throws the failure of its transaction otherwise, a
     * {@link Tx.DataAccessException} if no writer took it within the timeout (or the caller was
     * interrupted) and {@link TaskErrors.CommitOutcomeUnknown} if it was being written then.
     */
    public void write(T item) {
        Entry<T> entry = new Entry<>(item);
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            waiting.add(entry);
            while (!entry.done) {
                if (writers < maxWriters && !waiting.isEmpty()) {
                    writeBatch(take());
                    continue;
                }
                long left = deadline - System.nanoTime();
                boolean interrupted = false;
                if (left > 0) {
                    try {
                        written.awaitNanos(left);
                        continue;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (entry.done) {
                    break;
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                if (waiting.remove(entry)) {
                    // no writer took it: nothing of it was sent, the caller may safely try again
                    throw new Tx.DataAccessException(new SQLTransientConnectionException(
                            "no database transaction was free to write the task within " + timeout, "08000"));
                }
                // a writer holds it: its transaction may still commit, or may have committed already
                throw new TaskErrors.CommitOutcomeUnknown("the transaction writing the task did not finish within "
                        + timeout + "; it may or may not commit", null);
            }
        } finally {
            lock.unlock();
        }
        if (entry.failure instanceof RuntimeException e) {
            throw e;
        }
        if (entry.failure instanceof Error e) {
            throw e;
        }
    }

    /** Called holding the lock; writes without it, then marks the batch done and wakes everyone. */
    private void writeBatch(List<Entry<T>> batch) {
        writers++;
        lock.unlock();
        try {
            List<T> items = new ArrayList<>(batch.size());
            for (Entry<T> e : batch) {
                items.add(e.item);
            }
            Throwable failure = attempt(items);
            if (failure != null && batch.size() > 1 && dataDependent.test(failure)) {
                for (Entry<T> e : batch) {
                    e.failure = attempt(List.of(e.item));
                }
            } else {
                for (Entry<T> e : batch) {
                    e.failure = failure;
                }
            }
        } finally {
            lock.lock();
            writers--;
            for (Entry<T> e : batch) {
                e.done = true;
            }
            written.signalAll();
        }
    }

    private Throwable attempt(List<T> items) {
        try {
            writer.accept(items);
            onCommit.accept(items.size());
            return null;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }

    /** Items waiting for a writer (a gauge for tests and diagnostics). */
    public int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private List<Entry<T>> take() {
        List<Entry<T>> batch = new ArrayList<>(Math.min(waiting.size(), maxBatch));
        while (!waiting.isEmpty() && batch.size() < maxBatch) {
            batch.add(waiting.poll());
        }
        return batch;
    }
}
