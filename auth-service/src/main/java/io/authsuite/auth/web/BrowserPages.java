package io.authsuite.auth.web;

/**
 * A resource that people reach in a browser (sign-in, consent, logout, device verification, the console): when it
 * fails for a reason the server expects to pass (Redis away, too many password checks at once),
 * {@link OAuthErrorMappers} answers with the HTML error page rather than the JSON of the API endpoints. An interface
 * rather than an annotation: a native image keeps a class's type hierarchy, but its annotations only when it is
 * registered for reflection.
 */
public interface BrowserPages {

    /** The paths of these resources, for failures met before a resource was chosen (a body of a type none takes). */
    java.util.List<String> PATHS = java.util.List.of("/login", "/consent", "/device", "/oauth2/logout",
            "/admin/console");
}
