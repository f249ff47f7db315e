package io.authsuite.inventory.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.inventory.store.SharedConnectionWatchdogTest;
import io.authsuite.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The item read runs on the event loop over the loop's shared Redis connection, which has no deadline of its own: a
 * Redis that stops answering (held here with CLIENT PAUSE) must end the read with a 503 the client may retry, not hold
 * it until Redis comes back. Two things end it after {@code quarkus.redis.timeout} (1 s in this profile, the watchdog
 * test's): the read's own deadline, and the loop's watchdog closing the unanswered connection; this pins the outcome,
 * whichever comes first. {@link ItemReadOnPooledConnectionRedisUnansweredTest} takes the watchdog away, so that the
 * read's own deadline is tested alone.
 */
@QuarkusTest
@TestProfile(SharedConnectionWatchdogTest.ShortDeadline.class)
class ItemReadRedisUnansweredTest {

    @Test
    void itemReadWhenRedisStopsAnsweringThen503WithRetryAfterBeforeItAnswersAgain() throws Exception {
        // On Redis Cluster the paused server may not be the node of the stock's hash slot.
        Assumptions.assumeFalse(RedisTestResource.server().clustered(), "a standalone or Sentinel deployment");
        String reader = ItemsResourceTest.reader();
        given().auth().oauth2(reader).get("/inventory/items/BOOK-002").then().statusCode(200);

        RedisTestResource.server().command("CLIENT", "PAUSE", "6000", "ALL");
        long paused = System.nanoTime();
        given().auth().oauth2(reader).get("/inventory/items/BOOK-002").then().statusCode(503)
                .header("Retry-After", notNullValue())
                .contentType("application/problem+json").body("status", equalTo(503));
        long answeredAfterMillis = (System.nanoTime() - paused) / 1_000_000;
        // Functional, not a speed check: the answer came from the deadline, while Redis was still paused.
        assertTrue(answeredAfterMillis < 5000, "answered only after " + answeredAfterMillis + " ms");

        Thread.sleep(Math.max(0, 6500 - (System.nanoTime() - paused) / 1_000_000));
        given().auth().oauth2(reader).get("/inventory/items/BOOK-002").then().statusCode(200)
                .body("sku", equalTo("BOOK-002"));
    }
}
