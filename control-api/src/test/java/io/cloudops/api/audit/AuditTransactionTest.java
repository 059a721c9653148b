package io.cloudops.api.audit;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.project.ProjectService;
import io.cloudops.api.testsupport.Fixtures;
import io.cloudops.common.api.PageView;
import io.cloudops.common.audit.AuditEntryView;
import io.cloudops.common.audit.AuditOutcome;
import io.cloudops.common.project.ProjectRequest;
import io.cloudops.orchestrator.client.AuditRecord;
import io.cloudops.orchestrator.client.AuditTrail;
import io.cloudops.orchestrator.client.TaskControl;
import io.cloudops.orchestrator.client.TaskErrors;
import io.cloudops.orchestrator.client.TaskSubmitter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit entry of a change is part of the change's transaction: a change that fails after its
 * entry was inserted leaves no entry, a committed one exactly one. Once for the engine's own JDBC
 * transactions (task submission, grouped and keyed; task control) and once for JPA (projects).
 */
@QuarkusTest
class AuditTransactionTest {

    @Inject
    TaskSubmitter submitter;

    @Inject
    TaskControl control;

    @Inject
    AuditTrail trail;

    @Inject
    ProjectService projects;

    @Inject
    ObjectMapper json;

    @Test
    void anEngineChangeThatFailsAfterItsEntryLeavesNoEntryAndOneThatCommitsLeavesExactlyOne() {
        String actor = "rollback-" + UUID.randomUUID();
        // entity_id holds 255 characters: the task insert fails after the entry's insert, in the same transaction
        String tooLong = "x".repeat(300);
        assertThatThrownBy(() -> submitter.submit(submission(tooLong, null), entry(actor)))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> submitter.submit(submission(tooLong, "key-" + UUID.randomUUID()), entry(actor)))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> control.cancel(UUID.randomUUID(), entry(actor)))
                .isInstanceOf(TaskErrors.NotFound.class);
        assertThatThrownBy(() -> control.retryDeadLetter(UUID.randomUUID(), actor, entry(actor)))
                .isInstanceOf(TaskErrors.NotFound.class);
        assertThat(byActor(actor).total()).as("entries of changes that rolled back").isZero();

        String committed = "commit-" + UUID.randomUUID();
        UUID task = submitter.submit(submission("audit/" + UUID.randomUUID(), null), entry(committed)).taskId();
        PageView<AuditEntryView> entries = byActor(committed);
        assertThat(entries.total()).isEqualTo(1);
        AuditEntryView entry = entries.items().get(0);
        assertThat(entry.action()).isEqualTo("task.create");
        assertThat(entry.targetType()).isEqualTo("task");
        assertThat(entry.targetId()).isEqualTo(task.toString());
        assertThat(entry.roles()).containsExactly("operator");
        assertThat(entry.sourceAddress()).isEqualTo("192.0.2.7");
        assertThat(entry.outcome()).isEqualTo("succeeded");
        assertThat(entry.detail().get("note").asText()).isEqualTo("kept");
    }

    @Test
    void aJpaChangeRolledBackByItsTransactionTakesItsEntryWithIt() {
        String name = Fixtures.uniqueName("audit-tx");
        String id = Fixtures.createProject(name);
        UUID projectId = UUID.fromString(id);
        ProjectRequest rename = new ProjectRequest(Fixtures.uniqueName("audit-tx"), "renamed", null, List.of());

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            projects.update(projectId, rename);
            throw new IllegalStateException("the caller fails after the change and its entry were written");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(updates(id).total()).as("entries of the rolled back update").isZero();
        assertThat(projects.get(projectId).name()).isEqualTo(name);

        projects.update(projectId, rename);
        assertThat(updates(id).total()).isEqualTo(1);
        assertThat(updates(id).items().get(0).detail().get("name").asText()).isEqualTo(rename.name());
    }

    private PageView<AuditEntryView> byActor(String actor) {
        return trail.list(new AuditTrail.Filter(actor, null, null, null, null, null, null, null), 0, 10);
    }

    private PageView<AuditEntryView> updates(String projectId) {
        return trail.list(new AuditTrail.Filter(null, AuditActions.PROJECT_UPDATE, AuditActions.PROJECT, projectId,
                null, null, null, null), 0, 10);
    }

    private TaskSubmitter.Submission submission(String entityId, String key) {
        JsonNode payload = json.valueToTree(Map.of("entityId", entityId, "steps", 1, "stepMillis", 0, "fail", "never"));
        return new TaskSubmitter.Submission("diagnostic", entityId, payload, "audit-test", null, key,
                key == null ? null : "POST /api/tasks/diagnostic " + payload);
    }

    private AuditRecord entry(String actor) {
        return new AuditRecord(null, actor, List.of("operator"), AuditActions.TASK_CREATE, "task", null,
                "req-" + UUID.randomUUID(), "192.0.2.7", AuditOutcome.SUCCEEDED,
                json.createObjectNode().put("note", "kept"));
    }
}
