package io.authsuite.resourceserver.web;

/** Thrown by application code to answer with a given problem; mapped by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final String retryAfter;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    public ProblemException(Problem problem, String retryAfterSeconds) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfterSeconds;
    }

    public Problem problem() {
        return problem;
    }

    public String retryAfter() {
        return retryAfter;
    }
}
