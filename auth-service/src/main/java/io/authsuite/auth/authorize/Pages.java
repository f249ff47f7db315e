package io.authsuite.auth.authorize;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The server-rendered pages (Qute, HTML-escaped). */
@ApplicationScoped
public class Pages {

    @Location("login.html")
    Template login;

    @Location("consent.html")
    Template consent;

    @Location("error.html")
    Template error;

    @Location("message.html")
    Template message;

    @Location("logout.html")
    Template logout;

    @Location("device.html")
    Template device;

    /** The device page: the code entry, or with {@code clientId} the request it names, to allow or deny. */
    public Response.ResponseBuilder device(int status, String userCode, String clientId, String scope, String csrf,
                                           String confirm, String problem) {
        return html(status, device.data("userCode", userCode == null ? "" : userCode)
                .data("clientId", clientId).data("scope", scope).data("csrf", csrf).data("confirm", confirm)
                .data("problem", problem).render());
    }

    public Response.ResponseBuilder logoutConfirm(String csrf, String target) {
        return html(200, logout.data("csrf", csrf).data("target", target == null ? "" : target).render());
    }

    public Response.ResponseBuilder login(int status, String requestId, String next, String clientId, String csrf,
                                          String username, String problem) {
        return html(status, login.data("requestId", requestId == null ? "" : requestId)
                .data("next", next == null ? "" : next).data("clientId", clientId).data("csrf", csrf)
                .data("username", username == null ? "" : username).data("problem", problem).render());
    }

    public Response.ResponseBuilder consent(String requestId, String clientId, java.util.Set<String> scopes, String csrf) {
        return html(200, consent.data("requestId", requestId).data("clientId", clientId)
                .data("scopes", scopes).data("csrf", csrf).render());
    }

    public Response.ResponseBuilder error(int status, String text) {
        return error(status, "", text);
    }

    /** An error page that also names the OAuth error code ({@code code}, or empty), for the client's developer. */
    public Response.ResponseBuilder error(int status, String code, String text) {
        return html(status, error.data("message", text).data("code", code).render());
    }

    /** The error page's HTML alone, for answers written below Quarkus REST (web/MalformedRequests). */
    public String errorHtml(String code, String text) {
        return error.data("message", text).data("code", code).render();
    }

    public Response.ResponseBuilder message(String title, String text) {
        return html(200, message.data("title", title).data("message", text).render());
    }

    private static Response.ResponseBuilder html(int status, String body) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(body)
                .header("Cache-Control", "no-store");
    }
}
