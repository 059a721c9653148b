package io.cloudops.orchestrator.client;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cloudops.orchestrator.engine.Tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GroupCommitTest {

    /** A failure an item's data causes (like a constraint violation). */
    static final class BadData extends RuntimeException {
        BadData(String message) {
            super(message);
        }
    }

    /** A failure no item causes (like a database outage). */
    static final class Outage extends RuntimeException {
        Outage() {
            super("database unreachable");
        }
    }

    /** A wait no test reaches: these tests are about batching, not about giving up. */
    private static final Duration PATIENT = Duration.ofMinutes(1);

    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final Set<String> committed = ConcurrentHashMap.newKeySet();
    private final Map<String, Throwable> outcomes = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void stopThreads() throws InterruptedException {
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Test
    void callersArrivingDuringACommitShareTheNextTransactionAndReturnOnlyOnceItCommitted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<String> commit = new GroupCommit<>(recording(batch -> {
            if (batch.contains("first")) {
                awaitLatch(release);
            }
        }), e -> false, 1, 100, PATIENT);

        write(commit, "first");
        await().until(() -> batches.size() == 1); // "first" is being written, alone
        List<String> arrived = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            arrived.add("item-" + i);
            write(commit, "item-" + i);
            int queued = i + 1;
            await().until(() -> commit.waiting() == queued); // the next caller arrives after this one queued
        }
        assertThat(outcomes).as("nobody returns before its transaction committed").isEmpty();

        release.countDown();
        await().until(() -> outcomes.size() == 11);

        assertThat(batches).hasSize(2);
        assertThat(batches.get(0)).containsExactly("first");
        assertThat(batches.get(1)).as("all ten waiting callers in one transaction, in arrival order")
                .containsExactlyElementsOf(arrived);
        assertThat(outcomes.values()).allMatch(GroupCommitTest::succeeded);
    }

    @Test
    void anItemOnAnIdleSystemIsWrittenAtOnceByItsOwnCaller() {
        GroupCommit<String> commit = new GroupCommit<>(recording(batch -> {
        }), e -> false, 2, 100, PATIENT);
        commit.write("alone");
        assertThat(batches).containsExactly(List.of("alone"));
        assertThat(committed).contains("alone");
    }

    @Test
    void aBatchFailingOnOneItemsDataIsWrittenAgainItemByItemSoOnlyThatItemFails() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<String> commit = new GroupCommit<>(recording(batch -> {
            if (batch.contains("first")) {
                awaitLatch(release);
            }
            if (batch.contains("bad")) {
                throw new BadData("value too long");
            }
        }), e -> e instanceof BadData, 1, 100, PATIENT);

        write(commit, "first");
        await().until(() -> batches.size() == 1);
        write(commit, "a");
        write(commit, "bad");
        write(commit, "c");
        await().until(() -> commit.waiting() == 3);
        release.countDown();
        await().until(() -> outcomes.size() == 4);

        assertThat(outcomes.get("a")).isSameAs(OK);
        assertThat(outcomes.get("c")).isSameAs(OK);
        assertThat(outcomes.get("bad")).isInstanceOf(BadData.class);
        assertThat(committed).containsExactlyInAnyOrder("first", "a", "c");
    }

    @Test
    void aFailureNoItemCausedFailsTheWholeBatchWithoutRetryingItemByItem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        GroupCommit<String> commit = new GroupCommit<>(recording(batch -> {
            if (batch.contains("first")) {
                awaitLatch(release);
                return;
            }
            attempts.incrementAndGet();
            throw new Outage();
        }), e -> e instanceof BadData, 1, 100, PATIENT);

        write(commit, "first");
        await().until(() -> batches.size() == 1);
        for (String item : List.of("x", "y", "z")) {
            write(commit, item);
        }
        await().until(() -> commit.waiting() == 3);
        release.countDown();
        await().until(() -> outcomes.size() == 4);

        assertThat(attempts).hasValue(1);
        assertThat(List.of(outcomes.get("x"), outcomes.get("y"), outcomes.get("z")))
                .allMatch(e -> e instanceof Outage);
        assertThat(committed).containsExactly("first");
    }

    @Test
    void underLoadEveryItemIsWrittenExactlyOnceByAtMostMaxWritersAtATime() throws Exception {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        GroupCommit<String> commit = new GroupCommit<>(recording(batch -> {
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            Thread.onSpinWait();
            active.decrementAndGet();
        }), e -> false, 2, 16, PATIENT);
        int callers = 24;
        int perCaller = 200;
        CountDownLatch start = new CountDownLatch(1);
        for (int c = 0; c < callers; c++) {
            int caller = c;
            Thread t = Thread.ofPlatform().start(() -> {
                awaitLatch(start);
                for (int i = 0; i < perCaller; i++) {
                    String item = caller + "/" + i;
                    commit.write(item);
                    outcomes.put(item, committed.contains(item) ? OK : new AssertionError(item + " not committed"));
                }
            });
            threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }

        List<String> written = batches.stream().flatMap(List::stream).toList();
        assertThat(written).hasSize(callers * perCaller).doesNotHaveDuplicates();
        assertThat(outcomes.values()).allMatch(GroupCommitTest::succeeded);
        assertThat(batches).allSatisfy(b -> assertThat(b.size()).isBetween(1, 16));
        assertThat(maxActive.get()).isBetween(1, 2);
    }

    @Test
    void aCallerNoWriterServedInTimeWithdrawsItsItemAndGetsAPlainFailure() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Duration timeout = Duration.ofMillis(300);
        GroupCommit<String> commit = new GroupCommit<>(recording(batch -> {
            if (batch.contains("first")) {
                awaitLatch(release);
            }
        }), e -> false, 1, 100, timeout);

        write(commit, "first");
        await().until(() -> batches.size() == 1); // the only writer slot is busy with "first"
        long start = System.nanoTime();
        write(commit, "late");
        await().until(() -> outcomes.containsKey("late"));
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        release.countDown();
        await().until(() -> outcomes.containsKey("first"));

        assertThat(outcomes.get("late")).isInstanceOf(Tx.DataAccessException.class)
                .hasCauseInstanceOf(SQLTransientConnectionException.class);
        assertThat(waited).isGreaterThanOrEqualTo(timeout).isLessThan(timeout.plusSeconds(5));
        assertThat(commit.waiting()).as("the withdrawn item left the queue").isZero();
        assertThat(batches).as("the withdrawn item is never written").containsExactly(List.of("first"));
    }

    @Test
    void aCallerWhoseItemIsBeingWrittenWhenItStopsWaitingLearnsTheOutcomeIsUnknown() throws Exception {
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch releaseSecond = new CountDownLatch(1);
        GroupCommit<String> commit = new GroupCommit<>(recording(batch -> {
            if (batch.contains("first")) {
                awaitLatch(releaseFirst);
            }
            if (batch.contains("b")) {
                awaitLatch(releaseSecond); // the commit of b and c hangs
            }
        }), e -> false, 1, 100, Duration.ofMillis(500));

        write(commit, "first");
        await().until(() -> batches.size() == 1);
        write(commit, "b");
        await().until(() -> commit.waiting() == 1);
        write(commit, "c");
        await().until(() -> commit.waiting() == 2);
        releaseFirst.countDown(); // b or c becomes the writer of both; the other waits for it and gives up
        await().until(() -> outcomes.containsKey("b") || outcomes.containsKey("c"));
        releaseSecond.countDown();
        await().until(() -> outcomes.size() == 3);

        assertThat(batches).containsExactly(List.of("first"), List.of("b", "c"));
        List<Throwable> outcomesOfBoth = List.of(outcomes.get("b"), outcomes.get("c"));
        assertThat(outcomesOfBoth).filteredOn(e -> e instanceof TaskErrors.CommitOutcomeUnknown).hasSize(1);
        assertThat(outcomesOfBoth).filteredOn(GroupCommitTest::succeeded).hasSize(1);
        assertThat(committed).as("unknown means it may have committed: here it did").contains("b", "c");
    }

    private static final Throwable OK = new Throwable("ok");

    private static boolean succeeded(Throwable outcome) {
        return outcome == OK;
    }

    /** A writer that records each batch it is given and, if {@code behaviour} returns, commits it. */
    private Consumer<List<String>> recording(Consumer<List<String>> behaviour) {
        return batch -> {
            batches.add(List.copyOf(batch));
            behaviour.accept(batch);
            committed.addAll(batch);
        };
    }

    /** Writes {@code item} on a thread of its own, recording OK or the failure once write returns. */
    private void write(GroupCommit<String> commit, String item) {
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                commit.write(item);
                outcomes.put(item, committed.contains(item) ? OK : new AssertionError(item + " not committed"));
            } catch (RuntimeException e) {
                outcomes.put(item, e);
            }
        });
        threads.add(t);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
