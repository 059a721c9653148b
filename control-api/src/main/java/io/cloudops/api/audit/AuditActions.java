package io.cloudops.api.audit;

/**
 * The actions the audit log names, {@code <target>.<verb>}. Every mutating endpoint and console form
 * names its action in {@link Audited}; the service that makes the change writes the entry.
 */
public final class AuditActions {

    /** Any task-creating endpoint (deployment, sandbox, backup, restore, restart, diagnostic); detail.taskType says which. */
    public static final String TASK_CREATE = "task.create";
    public static final String TASK_CANCEL = "task.cancel";
    public static final String TASK_RETRY = "task.retry";
    /** An approver approved a task awaiting approval (detail: comment, approvals given and needed). */
    public static final String TASK_APPROVE = "task.approve";
    /** An approver rejected a task awaiting approval. */
    public static final String TASK_REJECT = "task.reject";
    public static final String DEADLETTER_RETRY = "deadletter.retry";
    public static final String DEADLETTER_SKIP = "deadletter.skip";
    public static final String QUEUE_PAUSE = "queue.pause";
    public static final String QUEUE_RESUME = "queue.resume";
    public static final String PROJECT_CREATE = "project.create";
    public static final String PROJECT_UPDATE = "project.update";
    public static final String PROJECT_DELETE = "project.delete";
    public static final String ENVIRONMENT_CREATE = "environment.create";
    public static final String ENVIRONMENT_DELETE = "environment.delete";
    public static final String SANDBOX_EXTEND = "sandbox.extend";
    public static final String NOTIFICATION_TEST = "notification.test";
    public static final String SCHEDULE_CREATE = "schedule.create";
    /** A schedule enabled or disabled; detail.enabled says which. */
    public static final String SCHEDULE_UPDATE = "schedule.update";
    public static final String SCHEDULE_DELETE = "schedule.delete";
    /** A guard rail (io.cloudops.api.guardrail) denied a task-creating request; the target is the policy. */
    /** A notification's action link confirmed (its action's own entry records what it did). */
    public static final String ACTION_LINK_USE = "action_link.use";
    public static final String GUARDRAIL_DENY = "guardrail.deny";
    /** A refused request to a route that names no action (e.g. reading the audit log without admin). */
    public static final String ACCESS = "access";

    public static final String TASK = "task";
    public static final String DEADLETTER = "deadletter";
    /** A queue: an entity's (target id: the entity id) or every entity's (target id {@code *}). */
    public static final String QUEUE = "queue";
    public static final String PROJECT = "project";
    public static final String ENVIRONMENT = "environment";
    public static final String SANDBOX = "sandbox";
    public static final String POLICY = "policy";
    public static final String SCHEDULE = "schedule";

    private AuditActions() {
    }
}
