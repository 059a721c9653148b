package io.cloudops.api.problem;

/** Stable problem type URIs; each is described in docs/errors.md. */
public final class ProblemTypes {

    public static final String VALIDATION = "/problems/validation-error";
    public static final String MALFORMED = "/problems/malformed-request";
    public static final String UNPROCESSABLE = "/problems/unprocessable";
    public static final String NOT_FOUND = "/problems/not-found";
    public static final String CONFLICT = "/problems/conflict";
    public static final String METHOD_NOT_ALLOWED = "/problems/method-not-allowed";
    public static final String UNSUPPORTED_MEDIA_TYPE = "/problems/unsupported-media-type";
    public static final String NOT_ACCEPTABLE = "/problems/not-acceptable";
    public static final String TOO_LARGE = "/problems/payload-too-large";
    public static final String UNAUTHORIZED = "/problems/unauthorized";
    public static final String FORBIDDEN = "/problems/forbidden";
    /** A state-changing request that may come from another site's page: no CSRF token, bearer token or demo header. */
    public static final String CROSS_SITE = "/problems/cross-site-request";
    /** More task-creating requests than the principal's rate limit; retry after Retry-After seconds. */
    public static final String TOO_MANY_REQUESTS = "/problems/too-many-requests";
    /** A guard rail (a CEL policy, docs/change-safety.md) denied the request: 403 or 422 as the policy says. */
    public static final String POLICY_DENIED = "/problems/policy-denied";
    public static final String INTERNAL = "/problems/internal-error";
    /** The database, or a service the request needs (the Azure Retail Prices API), cannot be reached; retry later. */
    public static final String UNAVAILABLE = "/problems/service-unavailable";
    public static final String HTTP = "/problems/http-error";
    /** The connection broke while a task was being committed: it may or may not have been accepted. */
    public static final String COMMIT_OUTCOME_UNKNOWN = "/problems/commit-outcome-unknown";

    private ProblemTypes() {
    }
}
