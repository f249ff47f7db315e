package io.authsuite.auth.web;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.authorize.Pages;
import io.authsuite.auth.registration.RegistrationEndpoint;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.users.PasswordHasher;
import io.authsuite.redis.RedisFailures;
import io.authsuite.dpop.ErrorText;
import io.authsuite.http.AllowedMethods;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Renders every error of this server in the RFC 6749 §5.2 shape, {@code {"error","error_description"}}, with
 * {@code Cache-Control: no-store}; nothing reaches a client as a stack trace. The pages people see in a browser
 * ({@link BrowserPages}) get the HTML error page instead when the server is briefly unavailable.
 */
public class OAuthErrorMappers {

    private static final Logger LOG = Logger.getLogger(OAuthErrorMappers.class);

    @jakarta.inject.Inject
    AuditLog audit;

    @jakarta.inject.Inject
    Pages pages;

    @ServerExceptionMapper
    public Response oauth(OAuthError e) {
        if (e.status() == 429) {
            // Every limit of this server answers 429 through here: one place records them all.
            audit.throttled(AuditTypes.RATE_LIMITED, null, null, e.getMessage(), null);
        }
        Response.ResponseBuilder builder = error(e.status(), e.error(), e.getMessage());
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response passwordChecksBusy(PasswordHasher.Busy e, SimpleResourceInfo resource) {
        // RFC 9110 §15.6.4: overloaded for a moment; Retry-After tells the client when to come back.
        return unavailable(resource, "too many password checks at once; retry shortly",
                "Too many people are signing in at this moment. Try again in a few seconds.");
    }

    /** Overrides Quarkus' own mapper for this type, whose 400 has no body. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, SimpleResourceInfo resource) {
        String field = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
        if (field != null && resource != null && resource.getResourceClass() == RegistrationEndpoint.class) {
            // RFC 7591 §3.2.2: a metadata value that cannot be one is invalid_client_metadata, and a redirect URI
            // invalid_redirect_uri.
            return error(400, field.equals("redirect_uris") ? "invalid_redirect_uri" : "invalid_client_metadata",
                    field + " has the wrong JSON type").build();
        }
        // RFC 6749 §5.2 shape for a body of the wrong JSON shape: a wrong type, or a second document (RFC 8259 §2).
        return error(400, "invalid_request", "the body is not JSON of the expected shape").build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return error(404, "not_found", "no such endpoint").build();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        Response.ResponseBuilder builder = error(405, "invalid_request", "HTTP method not allowed here");
        Object allow = e.getResponse().getHeaders().getFirst(HttpHeaders.ALLOW);
        // RFC 9110 §15.5.6: a 405 MUST list the methods the resource does support.
        if (allow != null) {
            builder.header(HttpHeaders.ALLOW, allow);
        } else {
            AllowedMethods.ofCurrentRequest().ifPresent(methods -> builder.header(HttpHeaders.ALLOW, methods));
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, SimpleResourceInfo resource, UriInfo uri) {
        Class<?> type = resource == null ? null : resource.getResourceClass();
        // No resource was chosen when none takes this media type: the path tells a page from an API.
        String path = uri == null ? "" : uri.getPath();
        if (isPage(resource) || BrowserPages.PATHS.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
            return pages.error(400, "invalid_request", "The form could not be read. Go back and try again.").build();
        }
        if (type != null && JSON_APIS.contains(type.getName())
                || JSON_PATHS.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
            // RFC 7591 §3 / RFC 7592 §2.2: registration requests (and this server's admin API) are JSON bodies.
            return error(400, "invalid_request", "the request must be application/json").build();
        }
        // RFC 6749 §3.2 / §5.2: a body that is not form-encoded is a malformed request: 400 invalid_request.
        return error(400, "invalid_request", "the request must be application/x-www-form-urlencoded").build();
    }

    /** The paths of {@link #JSON_APIS}, for a request no resource method took (none takes its media type). */
    private static final java.util.List<String> JSON_PATHS = java.util.List.of("/oauth2/register", "/admin/clients",
            "/admin/users");

    /** The resources whose bodies are JSON; every other endpoint that takes a body takes a form. */
    private static final java.util.Set<String> JSON_APIS = java.util.Set.of(
            "io.authsuite.auth.registration.RegistrationEndpoint", "io.authsuite.auth.admin.ClientsResource",
            "io.authsuite.auth.users.UsersResource");

    /**
     * Another request changed the same client again and again while this one tried to: it passes, so 503 with
     * Retry-After (RFC 9110 §15.6.4) rather than a 500.
     */
    @ServerExceptionMapper
    public Response clientChangedMeanwhile(io.authsuite.auth.clients.ClientStore.ConcurrentChangeException e,
                                           SimpleResourceInfo resource) {
        LOG.warnf("client changed by concurrent requests: %s", e.getMessage());
        return unavailable(resource, "the client is being changed by another request, retry shortly",
                "This client is being changed by someone else. Try again in a few seconds.");
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, SimpleResourceInfo resource) {
        // A response the application built itself passes as it is: a page, or a redirect (say, to the sign-in form).
        if (e.getResponse() != null && (e.getResponse().hasEntity() || e.getResponse().getStatus() / 100 == 3)) {
            return e.getResponse();
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
            return error(status, "server_error", "the server could not handle the request").build();
        }
        if (isPage(resource)) {
            // Quarkus REST's form reader refuses a field over quarkus.http.limits.max-form-attribute-size with a bare
            // 413: a person's browser gets the error page, never JSON.
            return pages.error(status, "invalid_request", status == 413
                    ? "The form was too large to read. Go back and try again."
                    : "The form could not be read. Go back and try again.").build();
        }
        return error(status, "invalid_request", describe(status)).build();
    }

    /**
     * Quarkus REST's form reader throws IllegalArgumentException on a value whose percent-encoding is broken
     * ({@code %zz}, a trailing {@code %2}): the request is malformed (RFC 3986 §2.1; RFC 6749 §5.2 invalid_request),
     * not a failure of this server. Any other IllegalArgumentException stays unexpected.
     */
    @ServerExceptionMapper
    public Response illegalArgument(IllegalArgumentException e, SimpleResourceInfo resource) {
        boolean formReader = java.util.Arrays.stream(e.getStackTrace())
                .anyMatch(f -> f.getClassName().startsWith(FORM_READER));
        if (!formReader) {
            return unexpected(e, resource);
        }
        return isPage(resource)
                ? pages.error(400, "invalid_request", "The form could not be read. Go back and try again.").build()
                : error(400, "invalid_request", "the form body is not valid percent-encoding").build();
    }

    private static final String FORM_READER =
            "org.jboss.resteasy.reactive.server.core.multipart.FormEncodedDataDefinition";

    /** Whether the request went to a page a person's browser shows, which answers with a page, never JSON. */
    private static boolean isPage(SimpleResourceInfo resource) {
        Class<?> type = resource == null ? null : resource.getResourceClass();
        return type != null && BrowserPages.class.isAssignableFrom(type);
    }

    /** Redis is saturated or unreachable: a passing condition, so 503 with Retry-After rather than 500. */
    @ServerExceptionMapper
    public Response redisUnavailable(io.vertx.core.http.ConnectionPoolTooBusyException e,
                                     SimpleResourceInfo resource) {
        LOG.warnf("Redis connection pool saturated: %s", e.getMessage());
        return unavailable(resource, "the server is busy, retry shortly",
                "The sign-in service is busy. Try again in a few seconds.");
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, SimpleResourceInfo resource) {
        // Throwable, not RuntimeException: the reactive Redis client fails with Vert.x' NoStackTraceThrowable (a
        // closed connection), which the blocking client wrapped in a RuntimeException.
        if (RedisFailures.isUnavailable(e)) {
            // Redis down or failing over passes: RFC 9110 §15.6.4, 503 with Retry-After, never a 500.
            LOG.warnf("Redis unavailable: %s", RedisFailures.describe(e));
            return unavailable(resource, "the server is briefly unavailable, retry shortly",
                    "The sign-in service is briefly unavailable. Try again in a few seconds.");
        }
        LOG.error("unhandled error", e);
        return error(500, "server_error", "the server could not handle the request").build();
    }

    /**
     * A 503 with Retry-After (RFC 9110 §15.6.4): JSON for API clients, which act on {@code temporarily_unavailable};
     * the HTML error page for a person in a browser, who would otherwise be shown raw JSON. A page rather than a
     * redirect to the client: with Redis away, the pending request and its checked redirect URI may not be readable.
     */
    private Response unavailable(SimpleResourceInfo resource, String description, String forPeople) {
        Response.ResponseBuilder builder = isPage(resource)
                ? pages.error(503, "temporarily_unavailable", forPeople)
                : error(503, "temporarily_unavailable", description);
        return builder.header(HttpHeaders.RETRY_AFTER, "1").build();
    }

    public static Response.ResponseBuilder error(int status, String error, String description) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        if (description != null) {
            // RFC 6749 §5.2: error_description MUST NOT hold characters outside %x20-21 / %x23-5B / %x5D-7E, and
            // some descriptions name a value from the request.
            body.put("error_description", ErrorText.description(description));
        }
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(body)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache");
    }

    private static String describe(int status) {
        return switch (status) {
            case 413 -> "the request is too large";
            case 415 -> "unsupported content type";
            case 406 -> "cannot produce an acceptable response";
            default -> "the request is invalid";
        };
    }
}
