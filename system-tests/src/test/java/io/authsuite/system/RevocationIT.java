package io.authsuite.system;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A revoked access token is refused by orders-service and inventory-service long before it expires, although neither
 * calls auth-service or Redis on the request path: they follow auth-service's revocation stream. How long it took is
 * printed, not asserted: a bound in milliseconds would measure this machine's load, not the feed.
 */
class RevocationIT {

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.shared();
    }

    private static String demoCliToken() {
        return given().auth().preemptive().basic("demo-cli", "demo-cli-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post(suite.auth.url() + "/oauth2/token").then().statusCode(200).extract().path("access_token");
    }

    /**
     * Milliseconds until GET {@code url} with the token answers 401, polling. Fails after 10 s: far beyond what the
     * feed takes (tens of milliseconds, printed), and far short of the 15 minutes the token would otherwise live.
     */
    private static long millisUntilRefused(String url, String token, long since) {
        while (System.nanoTime() - since < 10_000_000_000L) {
            if (given().auth().oauth2(token).get(url).statusCode() == 401) {
                return (System.nanoTime() - since) / 1_000_000;
            }
        }
        throw new AssertionError(url + " still accepts the revoked token after 10 s");
    }

    @Test
    void revokedAccessTokenThenRefusedByBothResourceServicesBeforeItExpires() {
        String token = demoCliToken();
        String item = suite.inventory.url() + "/inventory/items/BOOK-001";
        String order = suite.orders.url() + "/orders/00000000-0000-0000-0000-000000000000";
        given().auth().oauth2(token).get(item).then().statusCode(200);
        given().auth().oauth2(token).get(order).then().statusCode(404);

        given().auth().preemptive().basic("demo-cli", "demo-cli-secret")
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(suite.auth.url() + "/oauth2/revoke").then().statusCode(200);
        // From the revocation's answer: what a caller can count on once auth-service has acknowledged it.
        long start = System.nanoTime();
        long inventoryMillis = millisUntilRefused(item, token, start);
        long ordersMillis = millisUntilRefused(order, token, start);
        System.out.printf("revocation seen by inventory-service after %d ms, orders-service after %d ms%n",
                inventoryMillis, ordersMillis);

        // Another token of the same client is unaffected.
        given().auth().oauth2(demoCliToken()).get(item).then().statusCode(200);
    }

    @Test
    void logoutEverywhereRefusesThePersonsTokensAtTheResourceServices() throws Exception {
        String token = suite.accessTokenFor("alice", "alice-password", "openid orders:read");
        String order = suite.orders.url() + "/orders/00000000-0000-0000-0000-000000000000";
        given().auth().oauth2(token).get(order).then().statusCode(404);

        given().auth().oauth2(token).post(suite.auth.url() + "/account/logout-everywhere").then().statusCode(204);
        System.out.printf("logout everywhere seen by orders-service after %d ms%n",
                millisUntilRefused(order, token, System.nanoTime()));
    }
}
