package io.authsuite.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The authorization server's own settings ({@code auth.*}). Every value can be overridden by an environment
 * variable ({@code AUTH_ISSUER}, {@code AUTH_KEYS_DIR}, ...) or a mounted {@code config/application.properties}.
 */
@ConfigMapping(prefix = "auth")
public interface AuthConfig {

    /** The issuer identifier (RFC 8414 §2): the base URL of this server, without a trailing slash. */
    String issuer();

    AccessToken accessToken();

    Keys keys();

    /**
     * Who performs the RSA signatures (and the rest of JCA): {@code accp}, Amazon Corretto Crypto Provider when it
     * loads on this machine (falling back to the JDK's providers otherwise), or {@code jdk} to use only the JDK's.
     */
    @WithDefault("accp")
    String cryptoProvider();

    /** True only in local profiles: demo clients and users are configured. Production refuses to start with it. */
    @WithDefault("false")
    boolean demoData();

    RefreshToken refreshToken();

    AuthorizationCode authorizationCode();

    IdToken idToken();

    Session session();

    Login login();

    Demo demo();

    Limits limits();

    Device device();

    /** How replicas follow the registered clients in Redis. */
    ClientRegistry clientRegistry();

    /** Dynamic client registration (RFC 7591, 7592). */
    Registration registration();

    /** The security audit trail's Redis copy ({@code auth:audit}); the log copy is kept by the log pipeline. */
    Audit audit();

    /** The admin APIs. */
    Admin admin();

    interface Admin {
        /**
         * How recent the admin's sign-in must be (the access token's {@code auth_time}) for a change that hands over or
         * destroys access: creating, changing or deleting a user, rotating or retiring a signing key. An older token
         * gets RFC 9470's {@code insufficient_user_authentication} with this {@code max_age}.
         */
        @WithDefault("PT15M")
        Duration stepUpMaxAge();
    }

    interface Audit {
        /** Entries kept in the stream, about (trimmed in whole nodes). */
        @WithDefault("100000")
        long maxLength();

        /** Entries older than this are trimmed from the stream. */
        @WithDefault("P30D")
        Duration maxAge();
    }

    interface ClientRegistry {
        /**
         * Also accept, as the {@code aud} of a {@code private_key_jwt} assertion, the URL of the endpoint it is sent to
         * (token, revocation, introspection, device authorization, PAR), as RFC 7523 §3 allows, for clients that cannot
         * name the issuer. Off by default: a client that takes the audience from another authorization server's
         * metadata can be made to sign an assertion naming this server's token endpoint, which that server then
         * replays here (OpenID Foundation's 2025 private_key_jwt audience-injection advisory;
         * draft-ietf-oauth-rfc7523bis: the issuer, as the sole audience).
         */
        @WithDefault("false")
        boolean endpointAudiences();

        /**
         * How often a replica looks at the registry's change counter (one GET) and reloads when it moved: the longest
         * a change made on another replica takes to apply here.
         */
        @WithDefault("250ms")
        Duration refreshInterval();
    }

    interface Registration {
        /** Serves {@code /oauth2/register}; each registration needs an initial access token (RFC 7591 §3). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Hashes ({@code sha256:...}, as client secrets) of long-lived initial access tokens, from a Secret, for
         * automation; the admin API mints short-lived ones ({@code POST /admin/clients/initial-access-tokens}).
         */
        Optional<Set<String>> initialAccessTokenHashes();

        /** The scopes a self-registered client may be registered for; its requests stay within them. */
        @WithDefault("openid,profile,email")
        Set<String> allowedScopes();
    }

    /** Users created at start when absent (local runs), keyed by username. */
    Map<String, SeedUser> seedUsers();

    /** The client registry, keyed by client id. */
    Map<String, Client> clients();

    /** Resource servers, keyed by the audience value their tokens carry, with the scopes they own. */
    Map<String, Resource> resources();

    interface AccessToken {
        /** Lifetime of access tokens. Short by design (RFC 9700 §4.14): revocation is bounded by it. */
        @WithDefault("PT15M")
        Duration ttl();
    }

    interface RefreshToken {
        /** Lifetime of one refresh token; every use rotates it. */
        @WithDefault("P7D")
        Duration ttl();

        /** Absolute cap on a family: no rotation extends a grant past this age. */
        @WithDefault("P30D")
        Duration absoluteLifetime();

        /**
         * How long after a rotation the immediately previous token may be presented once more without revoking
         * the family, for clients whose response was lost. 0 (the default) to at most 60 seconds.
         */
        @WithDefault("PT0S")
        Duration reuseGrace();

        /**
         * Rotations a family may make; then the grant ends and the person signs in again. Each rotation keeps the
         * consumed token (to recognise its reuse) for the family's life, so without a cap one refresh token rotated in
         * a loop fills Redis. Unset: twice as many as a client refreshing on every access token's expiry needs over
         * the absolute lifetime (5,760 with the defaults).
         */
        Optional<Integer> maxRotations();

        /**
         * Live families one person may hold: every sign-in of a client that gets refresh tokens starts one, and the
         * oldest are revoked when a new one goes beyond this. Each family keeps its consumed tokens for its life, so
         * without a bound one account signing in in a loop fills Redis. At least 1 (checked at start).
         */
        @WithDefault("100")
        int maxFamiliesPerSubject();
    }

    interface AuthorizationCode {
        /** RFC 6749 §4.1.2: a maximum lifetime of 10 minutes is recommended; 60 s here. */
        @WithDefault("PT60S")
        Duration ttl();

        /** How long a pending authorization request waits for the user to sign in. */
        @WithDefault("PT10M")
        Duration requestTtl();

        /**
         * How long a pushed authorization request's {@code request_uri} may be used (RFC 9126 §2.2: "a short
         * lifetime" is expected; 60 s covers the redirect to the authorization endpoint).
         */
        @WithDefault("PT60S")
        Duration pushedRequestTtl();

        /**
         * RFC 9126 §5 ({@code require_pushed_authorization_requests}): accept authorization requests only by reference
         * to a pushed one, so that none can be forged or altered in the browser.
         */
        @WithDefault("false")
        boolean requirePushedRequests();

        /**
         * RFC 9101 §10.5 ({@code require_signed_request_object}, server metadata): accept authorization requests only
         * as request objects their client signed, from every client. A client without registered keys then cannot
         * use the authorization endpoint at all; per client, the registration field of the same name asks it of one.
         */
        @WithDefault("false")
        boolean requireSignedRequests();
    }

    interface IdToken {
        @WithDefault("PT15M")
        Duration ttl();
    }

    interface Session {
        /** Longest lifetime of a login session at this server (single sign-on), counted from its sign-in. */
        @WithDefault("PT8H")
        Duration ttl();

        /**
         * A session that no page of this server has seen for this long ends before {@link #ttl()}: a browser left
         * signed in and walked away from does not answer authorization requests for the rest of the day.
         */
        @WithDefault("PT1H")
        Duration idleTimeout();

        /** Mark cookies Secure; only local http runs turn it off. */
        @WithDefault("true")
        boolean secureCookies();
    }

    interface Login {
        /** Failed sign-ins allowed per username within {@link #window()}. */
        @WithDefault("5")
        int maxFailuresPerUser();

        /** Failed sign-ins allowed per client IP within {@link #window()}. */
        @WithDefault("20")
        int maxFailuresPerIp();

        @WithDefault("PT15M")
        Duration window();

        /**
         * How long a browser stays known to an account after a sign-in there. A known browser has its own failure
         * budget ({@link #maxFailuresPerUser()} per {@link #window()}), so failures sent from elsewhere cannot lock the
         * person out of the browser they always use.
         */
        @WithDefault("P30D")
        Duration knownBrowserLifetime();

        /**
         * Password checks (Argon2id, about 19 MiB each) that may run at once. Unset: a quarter of the heap's limit,
         * at most two per core.
         */
        OptionalInt concurrentPasswordChecks();

        /** How long a password check waits for a free slot before the request is answered 503 with Retry-After. */
        @WithDefault("PT2S")
        Duration passwordCheckWait();
    }

    interface Device {
        /** Lifetime of a device code and its user code (RFC 8628 §3.2 expires_in). */
        @WithDefault("PT10M")
        Duration ttl();

        /** Minimum seconds between two polls (RFC 8628 §3.2 interval); slow_down adds 5. */
        @WithDefault("5")
        int interval();
    }

    interface Limits {
        /**
         * Failed client authentications one caller (client id and source address together) may make within
         * {@link #window()} before it must wait: each further failure doubles the wait, from one second up to
         * {@link #clientAuthMaxBackoff()}. Other callers of the same client id are not affected.
         */
        @WithDefault("5")
        int clientAuthFailuresBeforeBackoff();

        /** The longest a failing caller waits between attempts. */
        @WithDefault("PT5M")
        Duration clientAuthMaxBackoff();

        /** Failed client authentications, for any client id, allowed per source address within {@link #window()}. */
        @WithDefault("50")
        int clientAuthFailuresPerAddress();

        @WithDefault("PT5M")
        Duration window();

        /**
         * Device authorization requests one source address may make per minute: each creates a pending code in Redis
         * (they also count towards the client's token-request rate).
         */
        @WithDefault("30")
        int deviceAuthorizationsPerAddress();

        /** Token requests one client may make per minute (each client may override it). */
        @WithDefault("6000")
        int tokenRequestsPerMinute();

        /**
         * How often each replica adds its token-request counts to the fleet's: across N replicas a client may
         * exceed its rate by what N - 1 replicas accept in this time.
         */
        @WithDefault("PT0.2S")
        Duration rateSyncInterval();
    }

    interface Demo {
        /** Where the demo page (served only with demo data) sends orders. */
        @WithDefault("http://127.0.0.1:8081")
        String ordersUrl();
    }

    interface SeedUser {
        /** PHC-format Argon2id hash of the password (never the password itself). */
        String passwordHash();

        String email();

        String name();

        Set<String> roles();
    }

    interface Keys {
        /**
         * Folder of PKCS#8 PEM files, one RSA private key each (a mounted Kubernetes Secret). All are published
         * in the JWKS; {@link #active()} names the one that signs. With {@link #encryptionKey()} as well, only a
         * fleet's first start reads it: the managed set starts from these keys instead of generating one.
         */
        Optional<Path> dir();

        /** File name (without {@code .pem}) of the signing key; may be left out when the folder holds one key. */
        Optional<String> active();

        /** Generate an in-memory key at start when no folder is set: dev and test only, never with replicas. */
        @WithDefault("false")
        boolean generate();

        /** Size of generated keys. */
        @WithDefault("2048")
        int generatedSize();

        /**
         * Base64 of a 256-bit key-encryption key (a Kubernetes Secret). With it, keys are managed: generated,
         * rotated and retired by this server, stored in Redis encrypted with AES-256-GCM, shared by every replica.
         */
        Optional<String> encryptionKey();

        /** How long a key signs before the next one takes over (managed keys). */
        @WithDefault("P30D")
        Duration rotationPeriod();

        /**
         * How often each replica reloads the managed key set (and runs due rotations). Short, because a key retired
         * at one replica signs at the others until they reload, and their tokens are denied from birth.
         */
        @WithDefault("2s")
        String reloadInterval();

        /**
         * How long a new next key is published before a rotation may have it sign (managed keys): every replica's
         * reload ({@link #reloadInterval()}) and every verifier's copy of the JWKS (cached for its max-age, 300 s)
         * hold it by then. A rotation asked for sooner is refused, a scheduled one waits; retiring the active key
         * (a compromise) does not wait.
         */
        @WithDefault("6m")
        Duration publishBeforeSigning();

        /**
         * Key ids (RFC 7638 thumbprints) whose tokens are refused everywhere: a leaked key's, once it is out of the
         * folder. Each start denies them on the revocation feed again, for as long as they stay listed.
         */
        Optional<Set<String>> revoked();
    }

    interface Client {
        /** {@code sha256:<base64url>} of the client secret; absent for public clients. */
        Optional<String> secretHash();

        /** {@code confidential} or {@code public} (RFC 6749 §2.1). */
        @WithDefault("confidential")
        String type();

        /** Grant types the client may use. */
        Set<String> grantTypes();

        /** Scopes the client may request. */
        Set<String> scopes();

        /** Scopes granted when a request names none (RFC 6749 §3.3); all of {@link #scopes()} when absent. */
        Optional<Set<String>> defaultScopes();

        /** Audiences the client may obtain tokens for; every audience of its scopes when absent. */
        Optional<Set<String>> audiences();

        /** Client authentication methods accepted (RFC 8414 names); basic and post for confidential clients. */
        Optional<Set<String>> authMethods();

        /** Exact redirect URIs (used by the authorization code grant). */
        Optional<List<String>> redirectUris();

        /**
         * {@code web} or {@code native} (OIDC Dynamic Client Registration §2 application_type). A public native app
         * may use any port on its registered loopback redirect URI (RFC 8252 §7.3); no other client may.
         */
        @WithDefault("web")
        String applicationType();

        @WithDefault("false")
        boolean firstParty();

        /** Overrides {@code auth.limits.token-requests-per-minute} for this client. */
        Optional<Integer> tokenRequestsPerMinute();

        /** A resource server allowed to introspect tokens (RFC 7662) meant for its audiences. */
        @WithDefault("false")
        boolean introspection();

        /** Where RP-initiated logout may send the browser back to. */
        Optional<List<String>> postLogoutRedirectUris();

        /** Origins allowed to use the refresh-token cookie of browser mode (first-party apps). */
        Optional<Set<String>> allowedOrigins();

        /**
         * The client's public keys as a JWK Set (RFC 7517), JSON: with auth method {@code private_key_jwt} it
         * authenticates with a JWT signed by one of them (RFC 7523 §2.2). Public keys only.
         */
        Optional<String> jwks();

        /**
         * Token exchange (RFC 8693) on behalf of a person, by target audience ({@code exchange.inventory-service}):
         * what this client may obtain there with a person's access token it was sent. Needs the grant type
         * {@code urn:ietf:params:oauth:grant-type:token-exchange}.
         */
        Map<String, Exchange> exchange();

        /**
         * RFC 9449 §5.2 ({@code dpop_bound_access_tokens}): every token request of this client must carry a DPoP proof,
         * so it only ever gets sender-constrained access tokens.
         */
        @WithDefault("false")
        boolean dpopBoundAccessTokens();

        /**
         * RFC 9126 §6 ({@code require_pushed_authorization_requests}): this client's authorization requests are
         * accepted only by reference to one it pushed to {@code /oauth2/par}.
         */
        @WithDefault("false")
        boolean requirePushedAuthorizationRequests();

        /**
         * RFC 9101 §10.5 ({@code require_signed_request_object}): this client's authorization requests are accepted
         * only as request objects it signed ({@code request}, directly or pushed). Needs {@code jwks}.
         */
        @WithDefault("false")
        boolean requireSignedRequestObject();
    }

    interface Exchange {
        /** Scopes of the target audience the exchanged token may carry (a subset of the client's scopes). */
        Set<String> scopes();

        /**
         * Scopes the person's token must hold for the exchange: what the person allowed this client to do, which
         * its registration lets it carry on with at the target. Absent: the person's token must hold each scope of the
         * exchanged token itself.
         */
        Optional<Set<String>> subjectScopes();
    }

    interface Resource {
        Set<String> scopes();

        /**
         * The absolute URIs that name this resource server in RFC 8707 {@code resource} parameters, comma-separated:
         * the address clients outside use (behind the Ingress) and, where callers inside the cluster name it too,
         * the in-cluster one.
         */
        Optional<List<String>> uri();

        /**
         * Ids of the clients that are this resource server besides the client named like it: they may introspect its
         * tokens (with {@code introspection}) and exchange the tokens sent to it. Not a client's {@code audiences},
         * which only limit what the client itself may obtain.
         */
        Optional<Set<String>> clients();
    }
}
