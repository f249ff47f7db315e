package io.authsuite.auth.authorize;

import io.authsuite.dpop.ErrorText;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders {@link AuthorizeError}: back to the client when its redirect URI is validated, else a page. */
public class AuthorizeErrorMapper {

    private final AuthorizationFlow flow;
    private final Pages pages;

    public AuthorizeErrorMapper(AuthorizationFlow flow, Pages pages) {
        this.flow = flow;
        this.pages = pages;
    }

    @ServerExceptionMapper
    public Response map(AuthorizeError e) {
        if (e.request() != null) {
            // RFC 6749 §4.1.2.1: the same character set as at the token endpoint.
            return flow.redirect(e.request(), Map.of("error", e.error(), "error_description",
                    ErrorText.description(e.getMessage())));
        }
        return pages.error(e.status(), e.error(), e.getMessage()).build();
    }
}
