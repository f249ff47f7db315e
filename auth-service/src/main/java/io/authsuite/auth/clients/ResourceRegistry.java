package io.authsuite.auth.clients;

import io.authsuite.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The resource servers tokens are issued for: each scope belongs to exactly one audience, so the audience of a
 * token follows from the scopes it carries (RFC 9068 §3: the token names the resource it is meant for).
 */
@ApplicationScoped
public class ResourceRegistry {

    /** Scopes of OpenID Connect itself; they belong to no resource server. */
    public static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "email", "offline_access");

    /** Scopes of this server's own APIs: tokens carrying them name the issuer as audience. */
    public static final Set<String> OWN_SCOPES = Set.of("users:manage", "clients:manage", "keys:manage", "audit:read");

    private final Map<String, String> audienceByScope = new HashMap<>();
    private final Map<String, String> audienceByUri = new HashMap<>();
    private final Map<String, Set<String>> audiencesByClient = new HashMap<>();

    public ResourceRegistry(AuthConfig config) {
        config.resources().forEach((audience, resource) -> resource.uri().orElse(List.of()).forEach(uri -> {
            invalidResourceUri(uri).ifPresent(problem -> {
                throw new IllegalStateException("auth.resources." + audience + ".uri " + uri + ": " + problem);
            });
            String previous = audienceByUri.putIfAbsent(uri, audience);
            if (previous != null && !previous.equals(audience)) {
                throw new IllegalStateException("resource " + uri + " names both " + previous + " and " + audience);
            }
        }));
        config.resources().forEach((audience, resource) -> resource.clients().orElse(Set.of()).forEach(client ->
                audiencesByClient.computeIfAbsent(client, c -> new TreeSet<>()).add(audience)));
        config.resources().forEach((audience, resource) -> resource.scopes().forEach(scope -> {
            String previous = audienceByScope.putIfAbsent(scope, audience);
            if (previous != null && !previous.equals(audience)) {
                throw new IllegalStateException("scope " + scope + " is owned by both " + previous + " and " + audience);
            }
        }));
    }

    /**
     * Why {@code uri} cannot be a resource indicator, if it cannot. RFC 8707 §2: the value MUST be an absolute URI and
     * MUST NOT include a fragment; a configured one that breaks this would be matched by requests that break it too.
     */
    static Optional<String> invalidResourceUri(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("not a URI (" + e.getReason() + ")");
        }
        if (!parsed.isAbsolute()) {
            return Optional.of("must be an absolute URI (RFC 8707 §2)");
        }
        if (parsed.getRawFragment() != null) {
            return Optional.of("must not include a fragment (RFC 8707 §2)");
        }
        return Optional.empty();
    }

    /**
     * The audiences the client stands for as a resource server (RFC 7662 introspection, RFC 8693 subject tokens sent
     * to it): its own id, and the resource servers that list it among their {@code clients}.
     */
    public Set<String> audiencesServedBy(String clientId) {
        Set<String> served = new TreeSet<>(audiencesByClient.getOrDefault(clientId, Set.of()));
        served.add(clientId);
        return served;
    }

    /** The audience named by an RFC 8707 resource indicator. */
    public Optional<String> audienceOfResource(String uri) {
        return Optional.ofNullable(audienceByUri.get(uri));
    }

    public Optional<String> audienceOf(String scope) {
        return Optional.ofNullable(audienceByScope.get(scope));
    }

    /** Every scope a client could be granted, for discovery. */
    public Set<String> allScopes() {
        Set<String> all = new TreeSet<>(audienceByScope.keySet());
        all.addAll(OWN_SCOPES);
        return all;
    }
}
