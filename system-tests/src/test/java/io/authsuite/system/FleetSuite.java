package io.authsuite.system;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A suite that starts a larger deployment of its own (replicas of every service, a Redis Cluster, Prometheus with a
 * browser) and nothing breaks: the minute each costs runs in {@code make test-fleet}, which {@code .ci/run} runs right
 * after {@code make test}, so that {@code make test} stays under its 15 minutes (the failsafe configuration excludes
 * this tag unless told otherwise).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(FleetSuite.TAG)
@interface FleetSuite {
    String TAG = "fleet";
}
