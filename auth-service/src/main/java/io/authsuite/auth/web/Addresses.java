package io.authsuite.auth.web;

import io.vertx.core.http.HttpServerRequest;

/**
 * The client address of a request, for throttling. Behind a proxy, enable {@code quarkus.http.proxy.*} so that
 * Quarkus puts the forwarded address here; a raw X-Forwarded-For header is never trusted.
 */
public final class Addresses {

    private Addresses() {
    }

    public static String of(HttpServerRequest request) {
        return request == null || request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
