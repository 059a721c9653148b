package io.cloudops.orchestrator.handler;

/** An error no retry can fix (bad input, missing resource): the task fails at once. */
public class PermanentTaskException extends RuntimeException {

    private final String hint;

    public PermanentTaskException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    /** What a person can do about it. */
    public String hint() {
        return hint;
    }
}
