package io.authsuite.system;

/**
 * Whether this run requires the outside tools some tests drive (a browser, Prometheus): {@code .ci/run} installs them
 * and sets {@code AUTHSUITE_REQUIRE_TOOLS=1}, so that a tool missing there fails the run instead of skipping its
 * tests and passing. A developer's {@code make test} without them skips those tests, saying so.
 */
final class ToolsRequired {

    private ToolsRequired() {
    }

    static boolean inThisRun() {
        return "1".equals(System.getenv("AUTHSUITE_REQUIRE_TOOLS"));
    }
}
