package io.authsuite.auth.web;

import io.authsuite.auth.config.AuthConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A small single-page app for local runs (only with demo data): it signs in with code + PKCE as the public
 * client {@code web-app}, keeps the access token in memory and its refresh token in the browser-mode cookie, and
 * places an order at orders-service.
 */
@Path("/demo")
public class DemoResource {

    private static final Map<String, String> FILES = Map.of("index.html", "text/html;charset=UTF-8",
            "app.js", "text/javascript;charset=UTF-8");

    private final AuthConfig config;

    public DemoResource(AuthConfig config) {
        this.config = config;
    }

    @GET
    @Path("/")
    public Response index() {
        return file("index.html");
    }

    @GET
    @Path("/{file}")
    public Response file(@PathParam("file") String name) {
        if (!config.demoData()) {
            throw new NotFoundException();
        }
        if (name.equals("config.json")) {
            return Response.ok(Map.of("clientId", "web-app", "ordersUrl", config.demo().ordersUrl()))
                    .type("application/json").build();
        }
        String type = FILES.get(name);
        if (type == null) {
            throw new NotFoundException();
        }
        try (InputStream in = DemoResource.class.getClassLoader().getResourceAsStream("demo/" + name)) {
            if (in == null) {
                throw new NotFoundException();
            }
            return Response.ok(in.readAllBytes()).type(type)
                    .header("Cache-Control", "no-store")
                    .header("Content-Security-Policy", "default-src 'self'; connect-src 'self' "
                            + config.demo().ordersUrl() + "; frame-ancestors 'none'; object-src 'none'")
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
