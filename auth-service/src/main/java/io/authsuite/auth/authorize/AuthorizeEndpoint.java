package io.authsuite.auth.authorize;

import io.authsuite.auth.par.PushedRequests;
import io.authsuite.auth.requestobject.RequestObjects;
import io.authsuite.auth.store.SessionStore;
import io.authsuite.auth.token.FormParameters;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.users.UserStore;
import io.authsuite.auth.web.BrowserPages;
import io.authsuite.redis.DurableWrites;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The authorization endpoint (RFC 6749 §3.1): authorization code with PKCE S256 only. Requests are checked in
 * the order of RFC 6749 §4.1.2.1: client and redirect URI first (errors shown on a page), then everything else
 * (errors sent back to the client). GET and POST are the same request: with POST its parameters are the
 * form-encoded body.
 */
@Path("/oauth2/authorize")
public class AuthorizeEndpoint implements BrowserPages {

    private final AuthorizationRequests requests;
    private final PushedRequests pushed;
    private final RequestObjects requestObjects;
    private final PendingRequests pending;
    private final SessionStore sessions;
    private final UserStore users;
    private final AuthorizationFlow flow;
    private final Cookies cookies;
    private final Pages pages;

    public AuthorizeEndpoint(AuthorizationRequests requests, PushedRequests pushed, RequestObjects requestObjects,
                             PendingRequests pending, SessionStore sessions, UserStore users, AuthorizationFlow flow,
                             Cookies cookies, Pages pages) {
        this.requestObjects = requestObjects;
        this.cookies = cookies;
        this.pages = pages;
        this.requests = requests;
        this.pushed = pushed;
        this.pending = pending;
        this.sessions = sessions;
        this.users = users;
        this.flow = flow;
    }

    @GET
    public Response authorize(@Context UriInfo uri, @Context HttpHeaders headers) {
        return authorize(validate(uri.getRequestUri().getRawQuery()), headers);
    }

    /**
     * OIDC Core §3.1.2.1: the authorization endpoint MUST support GET and POST, and a POST carries the parameters
     * form-serialized in its body. They are checked exactly as a GET's (a repeated one, a malformed or non-form
     * body: the error page). A query string on a POST is refused rather than merged or ignored, so that no
     * parameter has two sources. No CSRF token is asked for: the client's own page posts this form across sites
     * by design, and the request only starts a flow that still needs the person's sign-in or session.
     */
    @POST
    public Response authorizeByPost(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body,
                                    @Context UriInfo uri, @Context HttpHeaders headers) {
        String query = uri.getRequestUri().getRawQuery();
        if (query != null && !query.isEmpty()) {
            throw AuthorizeError.page("a POST sends the parameters in the form body, not in the query");
        }
        FormParameters params;
        try {
            params = FormParameters.parse(contentType, body);
        } catch (OAuthError e) {
            throw AuthorizeError.page(e.status(), e.getMessage());
        }
        return authorize(checked(params), headers);
    }

    /**
     * A POST body Quarkus REST cannot even read (a Content-Type that is no media type) gets the error page of any
     * other malformed authorization request, not the JSON of the API endpoints. Without {@code @Consumes} on the
     * POST method the content type is checked here and in {@link FormParameters}, after this class is chosen.
     */
    @ServerExceptionMapper
    public Response unreadable(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status / 100 != 4) {
            org.jboss.logging.Logger.getLogger(AuthorizeEndpoint.class).error("authorization request failed", e);
            return pages.error(500, "The server could not handle the request.").build();
        }
        return pages.error(status, status == 413 ? "the request is too large"
                : "the request must be application/x-www-form-urlencoded").build();
    }

    private Response authorize(AuthorizationRequest request, HttpHeaders headers) {
        String sessionId = cookies.sessionId(headers);
        Optional<SessionStore.LoginSession> session = sessions.find(sessionId)
                .filter(s -> users.bySubject(s.subject()).filter(u -> !u.disabled()).isPresent())
                .filter(s -> s.authTime().getEpochSecond() >= request.authenticatedSince())
                // OIDC Core §3.1.2.1: a session of someone other than the id_token_hint's person does not answer the
                // request; prompt=none then gets login_required, otherwise that person signs in.
                .filter(s -> request.hintSubject() == null || request.hintSubject().equals(s.subject()));
        // OIDC Core §3.1.2.1 (errata set 2): max_age=0 is prompt=login. The session's sign-in is kept in whole seconds,
        // so one made in the request's own second would otherwise pass for the re-authentication the client demands.
        boolean signInDemanded = request.maxAge() == 0
                || AuthorizationRequests.SIGN_IN_PROMPTS.stream().anyMatch(request::prompts);
        if (session.isEmpty() || signInDemanded) {
            if (request.prompts("none")) {
                // OIDC Core §3.1.2.6: prompt=none must not show a page.
                throw AuthorizeError.redirect("login_required", "the user is not signed in", request);
            }
            // The sign-in about to happen satisfies login and select_account; consent, if asked for, still applies.
            String id = pending.save(request.withoutPrompts(AuthorizationRequests.SIGN_IN_PROMPTS));
            return Response.seeOther(URI.create("/login?request=" + id)).header("Cache-Control", "no-store").build();
        }
        return flow.finish(pending.save(request), request, session.get());
    }

    AuthorizationRequest validate(String rawQuery) {
        FormParameters params;
        try {
            params = FormParameters.parse(rawQuery);
        } catch (OAuthError e) {
            // RFC 6749 §3.1: parameters MUST NOT repeat; before the redirect URI is trusted, say so on a page.
            throw AuthorizeError.page(e.getMessage());
        }
        return checked(params);
    }

    private AuthorizationRequest checked(FormParameters params) {
        Resolved resolved;
        AuthorizationRequest request;
        try {
            resolved = resolve(params);
            request = requests.validate(resolved.params());
        } catch (OAuthError e) {
            // A parameter refused on reading (FormParameters#get: repeated) before a redirect URI is trusted: the
            // page, as for one refused on parsing, never the JSON of the API endpoints.
            throw AuthorizeError.page(e.status(), e.getMessage());
        }
        if (!resolved.pushed() && requests.mustBePushed(request)) {
            // RFC 9126 §5, §6: where pushed requests are required, a request sent through the browser is refused.
            throw AuthorizeError.redirect("invalid_request", "authorization requests must be pushed to /oauth2/par "
                    + "first (RFC 9126)", request);
        }
        if (!resolved.signed() && requests.mustBeSigned(request)) {
            // RFC 9101 §10.5: with require_signed_request_object, a request without one is refused.
            throw AuthorizeError.redirect("invalid_request", requests.unsignedRefusal(request.clientId()), request);
        }
        return request;
    }

    /**
     * The parameters a request stands for, whether they came in a request object its client signed, and whether they
     * were pushed first.
     */
    private record Resolved(FormParameters params, boolean signed, boolean pushed) {
    }

    /**
     * A request by value in a signed request object (RFC 9101): its parameters are the object's claims. A request by
     * reference to one the client pushed (RFC 9126 §4): its parameters are the pushed ones, checked again as any other
     * request. An unknown, expired, used or another client's {@code request_uri}, or an object that does not verify,
     * gets the error page: without them there is no redirect URI to trust.
     */
    private Resolved resolve(FormParameters params) {
        Optional<String> requestUri = params.get("request_uri");
        Optional<String> requestObject = params.get("request");
        if (requestObject.isPresent()) {
            if (requestUri.isPresent()) {
                // RFC 9101 §5: request and request_uri MUST NOT both be sent.
                throw AuthorizeError.page("request and request_uri cannot both be sent");
            }
            String clientId = params.get("client_id").orElseThrow(() -> AuthorizeError.page("client_id is missing"));
            try {
                return new Resolved(requestObjects.parameters(requestObject.get(), clientId), true, false);
            } catch (RequestObjects.InvalidRequestObject e) {
                // RFC 9101 §6.3: invalid_request_object. Its redirect URI is not trusted, so the page says it.
                throw AuthorizeError.page("invalid_request_object", e.getMessage());
            }
        }
        if (requestUri.isEmpty() || !requestUri.get().startsWith(PushedRequests.URN_PREFIX)) {
            // A request object by reference (OIDC Core §6.2) is refused by the validation, at the redirect URI.
            return new Resolved(params, false, false);
        }
        // RFC 9126 §4: client_id is still required, and must be the client that pushed the request.
        String clientId = params.get("client_id").orElseThrow(() -> AuthorizeError.page("client_id is missing"));
        PushedRequests.Pushed request = pushed.find(requestUri.get())
                .filter(p -> p.clientId().equals(clientId))
                .orElseThrow(() -> AuthorizeError.page("the request_uri is unknown, expired, already used or not "
                        + "this client's"));
        // RFC 9126 §4: one-time use, so a leaked authorization URL cannot start a second flow.
        boolean consumed;
        try {
            consumed = pushed.consume(requestUri.get());
        } catch (DurableWrites.NotReplicatedException e) {
            // The request_uri is spent, but no replica holds that yet, so this flow cannot go on; a reload would only
            // find it used. RFC 6749 §4.1.2.1 temporarily_unavailable, at the redirect URI checked when it was pushed,
            // sends the client to push a new request.
            throw AuthorizeError.redirect("temporarily_unavailable", "the request could not be recorded safely; "
                    + "start again with a new pushed request", requests.validate(FormParameters.of(request.parameters())));
        }
        if (!consumed) {
            throw AuthorizeError.page("the request_uri was already used");
        }
        // RFC 9101 §5 (which RFC 9126 §4 follows): the parameters sent beside request_uri are not used.
        return new Resolved(FormParameters.of(request.parameters()), request.signed(), true);
    }

}
