package io.authsuite.orders.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.redis.KeyLayout;
import io.authsuite.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The revocation feed's metrics at a resource service: the deny list's size and the lag of each entry. */
@QuarkusTest
class RevocationMetricsTest {

    static double value(String series) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.E+-]+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void revocationPublishedThenDenyListSizeAndFeedLagRecorded() throws Exception {
        double lagsBefore = value("authsuite_revocation_feed_lag_seconds_count");
        String until = Long.toString(Instant.now().getEpochSecond() + 900);
        String entry = "jti:" + UUID.randomUUID();
        KeyLayout layout = KeyLayout.of(RedisTestResource.server().clustered());
        RedisTestResource.server().command("ZADD", layout.denied(), until, entry);
        RedisTestResource.server().command("XADD", layout.revocationStream(), "*", "entry", entry, "until", until);
        long deadline = System.currentTimeMillis() + 5000;
        while (value("authsuite_revocation_feed_lag_seconds_count") <= lagsBefore
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(value("authsuite_revocation_feed_lag_seconds_count") > lagsBefore, "the entry's lag is recorded");
        assertTrue(value("authsuite_revocation_denylist_size") >= 1, "the deny list holds it");
    }
}
