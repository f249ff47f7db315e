package io.authsuite.auth.clients;

import io.authsuite.auth.clients.RegisteredClient.ClientType;
import io.authsuite.auth.config.AuthConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The clients this server knows, read from configuration and checked at start: a registration that could not
 * work (a confidential client without a secret hash, a refused grant type, an unknown scope) stops the server.
 */
@Startup
@ApplicationScoped
public class ClientRegistry {

    /** RFC 8693 §2.1. */
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    /** Grant types a client may be registered for. */
    public static final Set<String> KNOWN_GRANTS = Set.of("client_credentials", "authorization_code", "refresh_token",
            "urn:ietf:params:oauth:grant-type:device_code", TOKEN_EXCHANGE);

    private final Map<String, RegisteredClient> clients = new HashMap<>();

    public ClientRegistry(AuthConfig config, ResourceRegistry resources) {
        config.clients().forEach((id, c) -> clients.put(id, toClient(id, c, resources)));
    }

    public Optional<RegisteredClient> find(String clientId) {
        return Optional.ofNullable(clientId).map(clients::get);
    }

    public Map<String, RegisteredClient> all() {
        return Map.copyOf(clients);
    }

    static RegisteredClient toClient(String id, AuthConfig.Client c, ResourceRegistry resources) {
        ClientType type = switch (c.type().toLowerCase(Locale.ROOT)) {
            case "confidential" -> ClientType.CONFIDENTIAL;
            case "public" -> ClientType.PUBLIC;
            default -> throw invalid(id, "type must be confidential or public");
        };
        for (String grant : c.grantTypes()) {
            if (grant.equals("password") || grant.equals("implicit")) {
                // RFC 9700 §2.4 and §2.1.2: the password and implicit grants MUST NOT be used.
                throw invalid(id, "the " + grant + " grant is refused (RFC 9700)");
            }
            if (!KNOWN_GRANTS.contains(grant)) {
                throw invalid(id, "unknown grant type " + grant);
            }
        }
        if (type == ClientType.PUBLIC && c.grantTypes().contains("client_credentials")) {
            // RFC 6749 §4.4: the client credentials grant MUST only be used by confidential clients.
            throw invalid(id, "a public client cannot use client_credentials");
        }
        Set<String> methods = c.authMethods().orElse(type == ClientType.PUBLIC
                ? Set.of(RegisteredClient.NONE)
                : Set.of(RegisteredClient.CLIENT_SECRET_BASIC, RegisteredClient.CLIENT_SECRET_POST));
        boolean secretMethods = methods.contains(RegisteredClient.CLIENT_SECRET_BASIC)
                || methods.contains(RegisteredClient.CLIENT_SECRET_POST);
        if (type == ClientType.CONFIDENTIAL && secretMethods) {
            String hash = c.secretHash().orElseThrow(() -> invalid(id, "a confidential client needs secret-hash"));
            if (!ClientSecrets.isWellFormed(hash)) {
                throw invalid(id, "secret-hash must be sha256:<base64url of 32 bytes>");
            }
        } else if (c.secretHash().isPresent()) {
            throw invalid(id, type == ClientType.PUBLIC ? "a public client has no secret"
                    : "secret-hash without client_secret_basic or client_secret_post among auth-methods");
        }
        List<PublicJsonWebKey> jwks = c.jwks().map(json -> publicKeys(id, json)).orElse(List.of());
        if (methods.contains(RegisteredClient.PRIVATE_KEY_JWT) != !jwks.isEmpty()) {
            throw invalid(id, "private_key_jwt needs jwks (public keys), and jwks needs private_key_jwt");
        }
        for (String scope : c.scopes()) {
            if (resources.audienceOf(scope).isEmpty() && !ResourceRegistry.OIDC_SCOPES.contains(scope)
                    && !ResourceRegistry.OWN_SCOPES.contains(scope)) {
                throw invalid(id, "scope " + scope + " belongs to no resource in auth.resources");
            }
        }
        boolean nativeApp = switch (c.applicationType()) {
            case "native" -> true;
            case "web" -> false;
            default -> throw invalid(id, "application-type must be web or native");
        };
        if (nativeApp && type != ClientType.PUBLIC) {
            // RFC 8252 §8.4: a native app cannot keep a secret, so it is registered as a public client.
            throw invalid(id, "a native application is a public client");
        }
        Set<String> defaults = c.defaultScopes().orElse(c.scopes());
        if (!c.scopes().containsAll(defaults)) {
            throw invalid(id, "default-scopes must be a subset of scopes");
        }
        for (String m : methods) {
            boolean ok = type == ClientType.PUBLIC ? m.equals(RegisteredClient.NONE)
                    : m.equals(RegisteredClient.CLIENT_SECRET_BASIC) || m.equals(RegisteredClient.CLIENT_SECRET_POST)
                    || m.equals(RegisteredClient.PRIVATE_KEY_JWT);
            if (!ok) {
                throw invalid(id, "auth method " + m + " does not fit a " + c.type() + " client");
            }
        }
        return new RegisteredClient(id, type, c.secretHash(), Set.copyOf(c.grantTypes()), Set.copyOf(c.scopes()),
                new LinkedHashSet<>(defaults), c.audiences().map(Set::copyOf), Set.copyOf(methods),
                c.redirectUris().map(List::copyOf).orElse(List.of()), c.firstParty(),
                c.postLogoutRedirectUris().map(List::copyOf).orElse(List.of()),
                c.allowedOrigins().map(Set::copyOf).orElse(Set.of()), c.introspection(),
                c.tokenRequestsPerMinute(), nativeApp, jwks, exchange(id, type, c, resources),
                c.dpopBoundAccessTokens());
    }

    /** The token-exchange policy of a client, checked against its grant types, its scopes and the resources. */
    private static Map<String, RegisteredClient.ExchangePolicy> exchange(String id, ClientType type, AuthConfig.Client c,
                                                                          ResourceRegistry resources) {
        boolean granted = c.grantTypes().contains(TOKEN_EXCHANGE);
        if (granted != !c.exchange().isEmpty()) {
            throw invalid(id, "the token-exchange grant needs exchange.<audience>.scopes, and exchange needs the grant");
        }
        if (granted && type == ClientType.PUBLIC) {
            // Acting for a person at another service is a confidential client's job: it must prove who acts (RFC
            // 8693 §2.1 leaves client authentication to the server's policy).
            throw invalid(id, "a public client cannot use token exchange");
        }
        Map<String, RegisteredClient.ExchangePolicy> policies = new HashMap<>();
        c.exchange().forEach((audience, e) -> {
            for (String scope : e.scopes()) {
                if (!resources.audienceOf(scope).map(audience::equals).orElse(false)) {
                    throw invalid(id, "exchange." + audience + ": scope " + scope + " is not one of " + audience);
                }
                if (!c.scopes().contains(scope)) {
                    throw invalid(id, "exchange." + audience + ": scope " + scope + " is not among the client's scopes");
                }
            }
            if (e.scopes().isEmpty()) {
                throw invalid(id, "exchange." + audience + ".scopes is empty");
            }
            policies.put(audience, new RegisteredClient.ExchangePolicy(Set.copyOf(e.scopes()),
                    e.subjectScopes().map(Set::copyOf).orElse(Set.of())));
        });
        return Map.copyOf(policies);
    }

    /** The keys of a JWK Set, each a public key of a signing algorithm {@link ClientAssertions} accepts. */
    static List<PublicJsonWebKey> publicKeys(String id, String json) {
        List<JsonWebKey> keys;
        try {
            keys = new JsonWebKeySet(json).getJsonWebKeys();
        } catch (JoseException e) {
            throw invalid(id, "jwks is not a JWK Set: " + e.getMessage());
        }
        if (keys.isEmpty()) {
            throw invalid(id, "jwks holds no key");
        }
        List<PublicJsonWebKey> out = new ArrayList<>();
        for (JsonWebKey key : keys) {
            if (!(key instanceof PublicJsonWebKey pub) || !(key instanceof RsaJsonWebKey || key instanceof EllipticCurveJsonWebKey)) {
                throw invalid(id, "jwks may hold RSA and EC keys only");
            }
            if (pub.getPrivateKey() != null) {
                // The server must never hold a client's private key: registering one is a leak to refuse.
                throw invalid(id, "jwks holds a private key; register the public key only");
            }
            out.add(pub);
        }
        return List.copyOf(out);
    }

    private static IllegalStateException invalid(String id, String why) {
        return new IllegalStateException("auth.clients." + id + ": " + why);
    }
}
