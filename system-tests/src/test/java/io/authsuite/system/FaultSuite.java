package io.authsuite.system;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A suite that breaks something on purpose (kills or freezes a process, cuts a link, takes a Redis right away) and
 * waits for the fleet to notice and recover: each starts a fleet of its own and spends most of its time waiting out
 * timeouts. They run in {@code make test-faults}, which {@code .ci/run} runs after {@code make test}, so that
 * {@code make test} stays a fast check (the failsafe configuration excludes this tag unless told otherwise).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(FaultSuite.TAG)
@interface FaultSuite {
    String TAG = "fault";
}
