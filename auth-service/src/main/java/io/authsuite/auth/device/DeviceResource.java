package io.authsuite.auth.device;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.authorize.Cookies;
import io.authsuite.auth.authorize.Csrf;
import io.authsuite.auth.authorize.LoginThrottle;
import io.authsuite.auth.authorize.Pages;
import io.authsuite.auth.store.OpaqueTokens;
import io.authsuite.auth.store.SessionStore;
import io.authsuite.auth.web.Addresses;
import io.authsuite.auth.web.BrowserPages;
import io.vertx.core.http.HttpServerRequest;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user-code page of the device flow (RFC 8628 §3.3), behind the same sign-in as the browser flow. Wrong codes
 * are throttled like failed sign-ins (RFC 8628 §5.1: user codes can be guessed). A typed code first shows the request
 * it names (the client and the scopes); only a decision posted from that page counts (RFC 8628 §5.4: a person sent a
 * code by an attacker sees what they would let in before they allow it).
 */
@Path("/device")
public class DeviceResource implements BrowserPages {

    private final DeviceCodeStore store;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final Pages pages;
    private final Csrf csrf;
    private final AuditLog audit;
    private final Cookies cookies;

    public DeviceResource(DeviceCodeStore store, SessionStore sessions, LoginThrottle throttle, Pages pages, Csrf csrf,
                          Cookies cookies, AuditLog audit) {
        this.audit = audit;
        this.store = store;
        this.sessions = sessions;
        this.throttle = throttle;
        this.pages = pages;
        this.csrf = csrf;
        this.cookies = cookies;
    }

    @GET
    public Response page(@QueryParam("user_code") String userCode, @Context HttpHeaders headers,
                         @Context HttpServerRequest http) {
        String sessionId = cookies.sessionId(headers);
        Optional<SessionStore.LoginSession> session = sessions.find(sessionId);
        if (session.isEmpty()) {
            String next = "/device" + (userCode == null ? "" : "?user_code=" + URLEncoder.encode(userCode, StandardCharsets.UTF_8));
            return Response.seeOther(URI.create("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8))).build();
        }
        Optional<DeviceCodeStore.Pending> pending = Optional.empty();
        // RFC 8628 §3.3.1 verification_uri_complete: opened from a QR code or typed, the browser says "none". Another
        // site navigating here could otherwise spend the person's budget of wrong codes (§5.1) without their
        // knowing: such a visit only fills in the code, and Continue posts it with the form's CSRF token. A browser
        // that sends no Sec-Fetch-Site cannot tell: it gets the filled-in form too, one click more.
        String fetchSite = headers.getHeaderString("Sec-Fetch-Site");
        boolean crossSite = fetchSite == null || !List.of("none", "same-origin").contains(fetchSite);
        if (userCode != null && !userCode.isBlank() && !crossSite) {
            // A lookup reveals a pending request as a decision does, so it counts the same.
            Lookup lookup = lookUp(userCode, session.get().subject(), http);
            if (lookup.refusal() != null) {
                return lookup.refusal();
            }
            pending = Optional.of(lookup.pending());
        }
        if (pending.isPresent()) {
            return confirmation(userCode, pending.get()).build();
        }
        String token = csrf.next();
        return pages.device(200, userCode, null, null, token, null, null).cookie(cookies.csrf(token)).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(@FormParam("user_code") String userCode, @FormParam("decision") String decision,
                           @FormParam("csrf") String formToken, @FormParam("confirm") String confirm,
                           @Context HttpHeaders headers,
                           @HeaderParam("Origin") String origin, @Context HttpServerRequest http) {
        String cookieToken = cookies.csrfToken(headers);
        String sessionId = cookies.sessionId(headers);
        // RFC 6749 §10.12, RFC 8628 §5.4: a device is approved only from this server's own page.
        if (!csrf.valid(cookieToken, formToken, origin)) {
            return pages.error(403, "The form has expired. Open the device page again.").build();
        }
        Optional<SessionStore.LoginSession> session = sessions.find(sessionId);
        if (session.isEmpty()) {
            return Response.seeOther(URI.create("/login?next=%2Fdevice")).build();
        }
        Lookup lookup = lookUp(userCode, session.get().subject(), http);
        if (lookup.refusal() != null) {
            return lookup.refusal();
        }
        boolean decided = "approve".equals(decision) || "deny".equals(decision);
        if (!decided || confirm == null || !MessageDigest.isEqual(confirm.getBytes(StandardCharsets.UTF_8),
                confirmToken(cookieToken, userCode).getBytes(StandardCharsets.UTF_8))) {
            // RFC 8628 §5.4: a code typed on the entry page, or a decision not made on the page that showed this
            // request, shows the request first.
            return confirmation(userCode, lookup.pending()).build();
        }
        boolean approved = "approve".equals(decision);
        // RFC 6749 §10.5: the approval is dated when the session was last seen alive (see AuthorizationFlow).
        if (!store.decide(lookup.pending(), approved, session.get().subject(),
                session.get().authTime().getEpochSecond(), session.get().aliveAtMillis())) {
            return retry(400, userCode, "That code is not valid or has expired.").build();
        }
        audit.record(AuditTypes.DEVICE_DECISION, approved ? "success" : "failure", session.get().subject(),
                lookup.pending().clientId(), approved ? null : "the user denied the device",
                Map.of("decision", approved ? "approved" : "denied"));
        return pages.message(approved ? "Device connected" : "Request denied",
                approved ? "You can return to your device." : "The device was not given access.")
                .cookie(cookies.clearCsrf()).build();
    }

    /** The pending request of a typed user code, or the page that refuses it. */
    private record Lookup(DeviceCodeStore.Pending pending, Response refusal) {
    }

    private Lookup lookUp(String userCode, String subject, HttpServerRequest http) {
        // RFC 8628 §5.1: user-code entry MUST be rate-limited; every wrong code counts, per user and per address,
        // and is counted before the lookup so that parallel guesses cannot outrun the budget.
        LoginThrottle.Attempt attempt;
        try {
            attempt = throttle.attempt(LoginThrottle.Kind.USER_CODE, subject, Addresses.source(http));
        } catch (LoginThrottle.Refused refused) {
            return new Lookup(null, retry(429, userCode, "Too many wrong codes. Try again later.")
                    .header("Retry-After", Long.toString(refused.retryAfter())).build());
        }
        Optional<DeviceCodeStore.Pending> pending = store.pending(userCode);
        if (pending.isEmpty()) {
            return new Lookup(null, retry(400, userCode, "That code is not valid or has expired.").build());
        }
        attempt.succeeded();
        return new Lookup(pending.get(), null);
    }

    private Response.ResponseBuilder retry(int status, String userCode, String problem) {
        String token = csrf.next();
        return pages.device(status, userCode, null, null, token, null, problem).cookie(cookies.csrf(token));
    }

    /** The page that shows {@code pending} with Allow and Deny, whose decision is bound to that code. */
    private Response.ResponseBuilder confirmation(String userCode, DeviceCodeStore.Pending pending) {
        String token = csrf.next();
        return pages.device(200, userCode, pending.clientId(), pending.scope(), token, confirmToken(token, userCode),
                null).cookie(cookies.csrf(token));
    }

    /**
     * What the confirmation page of {@code userCode} carries besides its CSRF token: derived from the token, which
     * only this browser holds (an httpOnly, SameSite=Strict cookie), and from the code as the store reads it.
     */
    private static String confirmToken(String csrfToken, String userCode) {
        return OpaqueTokens.hash(csrfToken + ":" + DeviceCodeStore.normalize(userCode));
    }
}
