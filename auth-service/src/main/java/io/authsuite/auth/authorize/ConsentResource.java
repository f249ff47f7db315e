package io.authsuite.auth.authorize;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.store.SessionStore;
import io.authsuite.auth.web.BrowserPages;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;

/**
 * Asks a signed-in person to allow a client that is not first-party the scopes it requested, and any client that asks
 * for it with {@code prompt=consent}.
 */
@Path("/consent")
public class ConsentResource implements BrowserPages {

    private final PendingRequests pending;
    private final SessionStore sessions;
    private final Consents consents;
    private final AuthorizationFlow flow;
    private final Pages pages;
    private final Csrf csrf;
    private final Cookies cookies;
    private final AuditLog audit;
    private final io.authsuite.auth.clients.ClientRegistry clients;

    public ConsentResource(PendingRequests pending, SessionStore sessions, Consents consents, AuthorizationFlow flow,
                           Pages pages, Csrf csrf, Cookies cookies, AuditLog audit,
                           io.authsuite.auth.clients.ClientRegistry clients) {
        this.audit = audit;
        this.clients = clients;
        this.pending = pending;
        this.sessions = sessions;
        this.consents = consents;
        this.flow = flow;
        this.pages = pages;
        this.csrf = csrf;
        this.cookies = cookies;
    }

    @GET
    public Response form(@QueryParam("request") String requestId, @Context HttpHeaders headers) {
        String sessionId = cookies.sessionId(headers);
        AuthorizationRequest request = pending.find(requestId)
                .orElseThrow(() -> AuthorizeError.page("This request has expired. Go back to the application."));
        if (sessions.find(sessionId).isEmpty()) {
            return Response.seeOther(URI.create("/login?request=" + requestId)).build();
        }
        String token = csrf.next();
        return pages.consent(requestId, request.clientId(), request.scopes(), token).cookie(cookies.csrf(token)).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(@FormParam("request") String requestId, @FormParam("decision") String decision,
                           @FormParam("csrf") String formToken, @Context HttpHeaders headers,
                           @HeaderParam("Origin") String origin) {
        String cookieToken = cookies.csrfToken(headers);
        String sessionId = cookies.sessionId(headers);
        // RFC 6749 §10.12: consent only from the page this server showed, never from another site.
        if (!csrf.valid(cookieToken, formToken, origin)) {
            return pages.error(403, "The form has expired. Go back to the application and try again.").build();
        }
        AuthorizationRequest request = pending.find(requestId)
                .orElseThrow(() -> AuthorizeError.page("This request has expired. Go back to the application."));
        SessionStore.LoginSession session = sessions.find(sessionId).orElse(null);
        if (session == null) {
            return Response.seeOther(URI.create("/login?request=" + requestId)).build();
        }
        if (!"allow".equals(decision)) {
            pending.delete(requestId);
            audit.failure(AuditTypes.CONSENT, session.subject(), request.clientId(), "the user denied access",
                    Map.of("scope", String.join(" ", request.scopes())));
            // RFC 6749 §4.1.2.1: the resource owner denied the request.
            return flow.redirect(request, Map.of("error", "access_denied", "error_description", "the user denied access"));
        }
        clients.find(request.clientId()).ifPresent(client -> consents.grant(session.subject(), client, request.scopes()));
        audit.success(AuditTypes.CONSENT, session.subject(), request.clientId(),
                Map.of("scope", String.join(" ", request.scopes())));
        AuthorizationRequest decided = request.withPrompt("");
        return Response.fromResponse(flow.finish(requestId, decided, session)).cookie(cookies.clearCsrf()).build();
    }
}
