package io.authsuite.auth.token;

import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.clients.ResourceRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Decides the scopes and audiences of a token from what the client asked for and what it is registered for. */
@ApplicationScoped
public class ScopePolicy {

    /** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private final ResourceRegistry resources;
    private final String issuer;

    public ScopePolicy(ResourceRegistry resources, io.authsuite.auth.config.AuthConfig config) {
        this.resources = resources;
        this.issuer = config.issuer();
    }

    /** The granted scopes and the audiences they imply. */
    public record Grant(Set<String> scopes, Set<String> audiences) {
    }

    /** Parses a {@code scope} parameter (space-delimited, RFC 6749 §3.3). */
    public static Set<String> parse(String scope) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String s : scope.split(" ")) {
            if (!SCOPE_TOKEN.matcher(s).matches()) {
                throw OAuthError.invalidScope("the scope parameter is malformed");
            }
            scopes.add(s);
        }
        return scopes;
    }

    /**
     * Grants exactly the requested scopes when the client may have all of them, or its default scopes when it
     * named none (RFC 6749 §3.3); anything else is {@code invalid_scope}.
     */
    public Grant decide(RegisteredClient client, String requested) {
        Set<String> scopes = allowed(client, requested);
        return new Grant(new TreeSet<>(scopes), audiences(client, scopes));
    }

    /**
     * With RFC 8707 resource indicators, the token is meant for exactly the named resource servers: its audience
     * is them, and its scopes those of the request (or the client's defaults) that belong to them.
     */
    public Grant decide(RegisteredClient client, String requested, List<String> resourceUris) {
        if (resourceUris.isEmpty()) {
            return decide(client, requested);
        }
        Set<String> targets = targets(client, resourceUris);
        Set<String> scopes = new TreeSet<>(narrow(allowed(client, requested), targets, requested != null, Set.of()));
        return new Grant(scopes, audiences(client, scopes));
    }

    /**
     * The scopes of a grant whose authorization request named resources: RFC 8707 §2.1, the resources apply to the
     * whole grant, so the code, its refresh tokens and every access token from them hold only the scopes of those
     * resource servers, and OpenID Connect's own (the ID token and userinfo are this server's). Unchanged without
     * resources.
     *
     * @param requested whether the scopes were named in the request rather than the client's defaults
     */
    public Set<String> forResources(Set<String> scopes, Set<String> targets, boolean requested) {
        return targets.isEmpty() ? scopes : narrow(scopes, targets, requested, ResourceRegistry.OIDC_SCOPES);
    }

    /**
     * The scopes that belong to {@code targets} (and {@code alsoKept}). A named scope of another resource server is
     * invalid_scope, since the request contradicts itself; a default one is left out. A target left without a scope is
     * invalid_target.
     */
    private Set<String> narrow(Set<String> scopes, Set<String> targets, boolean requested, Set<String> alsoKept) {
        Set<String> kept = new LinkedHashSet<>();
        Set<String> foreign = new TreeSet<>();
        for (String scope : scopes) {
            if (alsoKept.contains(scope) || resources.audienceOf(scope).map(targets::contains).orElse(false)) {
                kept.add(scope);
            } else if (requested) {
                foreign.add(scope);
            }
        }
        if (!foreign.isEmpty()) {
            throw OAuthError.invalidScope("scopes " + String.join(" ", foreign) + " belong to no requested resource");
        }
        for (String target : targets) {
            if (kept.stream().noneMatch(scope -> resources.audienceOf(scope).filter(target::equals).isPresent())) {
                // RFC 8707 §2: a resource the token could not be used at is invalid_target, never left out of aud.
                throw invalidTarget("no scope of the request belongs to the resource " + target);
            }
        }
        return kept;
    }

    /**
     * The audiences that RFC 8707 {@code resource} parameters name for this client; none when there are none. A
     * resource server the client may not obtain tokens for is as unusable to it as an unknown one.
     */
    public Set<String> targets(RegisteredClient client, List<String> resourceUris) {
        Set<String> targets = targets(resourceUris);
        client.audiences().ifPresent(reachable -> {
            for (String target : targets) {
                if (!reachable.contains(target)) {
                    // RFC 8707 §2: a resource the client may not reach is invalid_target, not a scope error.
                    throw invalidTarget("the client may not obtain tokens for the resource " + target);
                }
            }
        });
        return targets;
    }

    /** The audiences that RFC 8707 {@code resource} parameters name; none when there are none. */
    public Set<String> targets(List<String> resourceUris) {
        Set<String> targets = new LinkedHashSet<>();
        for (String uri : resourceUris) {
            // RFC 8707 §2: the resource must be an absolute URI the server knows, else invalid_target.
            targets.add(resources.audienceOfResource(uri).orElseThrow(() -> invalidTarget("unknown resource " + uri)));
        }
        return targets;
    }

    /**
     * The scopes of an access token meant only for {@code targets}: those of the grant that belong to them. RFC 8707
     * §2.2 lets a client with a broad grant ask for an access token restricted to one resource server (RFC 9700
     * §2.3: audience-restricted tokens), while its refresh token keeps the whole grant.
     */
    public Set<String> restrict(Set<String> granted, Set<String> targets) {
        if (targets.isEmpty()) {
            return granted;
        }
        Set<String> scopes = new TreeSet<>();
        Set<String> served = new LinkedHashSet<>();
        for (String scope : granted) {
            resources.audienceOf(scope).filter(targets::contains).ifPresent(audience -> {
                scopes.add(scope);
                served.add(audience);
            });
        }
        for (String target : targets) {
            if (!served.contains(target)) {
                // RFC 8707 §2: invalid_target when the grant does not cover a requested resource.
                throw invalidTarget("the grant holds no scope of the resource " + target);
            }
        }
        return scopes;
    }

    private static OAuthError invalidTarget(String description) {
        return new OAuthError(400, "invalid_target", description, Map.of());
    }

    /** The requested scopes, or the client's defaults; {@code invalid_scope} if any is not the client's. */
    public Set<String> allowed(RegisteredClient client, String requested) {
        Set<String> scopes = requested == null ? client.defaultScopes() : parse(requested);
        Set<String> refused = new TreeSet<>(scopes);
        refused.removeAll(client.scopes());
        if (!refused.isEmpty()) {
            throw OAuthError.invalidScope("the client may not request " + String.join(" ", refused));
        }
        return new TreeSet<>(scopes);
    }

    /**
     * The audiences of a token with these scopes: the resource servers owning them, and this server itself for
     * OpenID Connect scopes (the token is then good at the userinfo endpoint).
     */
    public Set<String> audiences(RegisteredClient client, Set<String> scopes) {
        Set<String> audiences = new LinkedHashSet<>();
        if (ownedHere(scopes)) {
            audiences.add(issuer);
        }
        for (String scope : scopes) {
            resources.audienceOf(scope).ifPresent(audience -> {
                if (client.audiences().isPresent() && !client.audiences().get().contains(audience)) {
                    throw OAuthError.invalidScope("the client may not obtain tokens for " + audience);
                }
                audiences.add(audience);
            });
        }
        if (audiences.isEmpty()) {
            // RFC 9068 §2.2: an access token MUST name its audience; with no resource scope there is none.
            throw OAuthError.invalidScope("request at least one scope of a resource server");
        }
        return audiences;
    }

    private static boolean ownedHere(Set<String> scopes) {
        return scopes.contains("openid") || scopes.stream().anyMatch(ResourceRegistry.OWN_SCOPES::contains);
    }

    /**
     * The scopes of a grant the client may still be issued: those its registration still lists, of resources it may
     * still reach. A registration narrowed since the sign-in bounds the grant's later tokens (RFC 6749 §3.3, §6).
     */
    public Set<String> stillAllowed(RegisteredClient client, Set<String> granted) {
        Set<String> scopes = new TreeSet<>(granted);
        scopes.retainAll(client.scopes());
        client.audiences().ifPresent(reachable -> scopes.removeIf(
                scope -> resources.audienceOf(scope).filter(audience -> !reachable.contains(audience)).isPresent()));
        return scopes;
    }

    /**
     * {@link #stillAllowed}, or empty when what is left would name no audience ({@link #audiences} requires one):
     * nothing of the grant is left to issue to this client.
     */
    public java.util.Optional<Set<String>> stillGrantable(RegisteredClient client, Set<String> granted) {
        Set<String> scopes = stillAllowed(client, granted);
        return namesAudience(scopes) ? java.util.Optional.of(scopes) : java.util.Optional.empty();
    }

    /** Whether a token with these scopes would name an audience, which {@link #audiences} requires. */
    private boolean namesAudience(Set<String> scopes) {
        return ownedHere(scopes) || scopes.stream().anyMatch(scope -> resources.audienceOf(scope).isPresent());
    }
}
