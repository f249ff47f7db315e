package io.authsuite.auth.clients;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.List;

/**
 * A client as {@link ClientStore} keeps it in Redis: its registration, its secrets (hashes only), and its state.
 *
 * @param secrets         the secret hashes that authenticate it; more than one while a rotation overlaps
 * @param disabled        refused everywhere: no authentication, no sign-in, no token
 * @param revokedBefore   epoch millisecond: refresh-token families begun up to it are dead (a disable, or a
 *                        client created under the id of a deleted one)
 * @param source          {@code config} (seeded from auth.clients), {@code admin} or {@code registration} (RFC 7591)
 * @param seedDigest      for a configured client: a digest of the configuration it was seeded from
 * @param changedAtRuntime true once the admin API changed a configured client: configuration no longer overrides it
 * @param registrationTokenHash the hash of the RFC 7592 registration access token of a dynamically registered client
 * @param version         incremented by every write: a write based on an older version is refused and retried
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredClient(
        @JsonProperty("id") String id,
        @JsonProperty("registration") ClientRegistration registration,
        @JsonProperty("secrets") List<Secret> secrets,
        @JsonProperty("disabled") boolean disabled,
        @JsonProperty("revoked_before") long revokedBefore,
        @JsonProperty("source") String source,
        @JsonProperty("seed_digest") String seedDigest,
        @JsonProperty("changed_at_runtime") boolean changedAtRuntime,
        @JsonProperty("registration_token_hash") String registrationTokenHash,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("updated_at") long updatedAt,
        @JsonProperty("version") long version) {

    public static final String CONFIG = "config";
    public static final String ADMIN = "admin";
    public static final String REGISTRATION = "registration";

    /** One secret's hash; {@code expiresAt} (epoch second) is set on the previous secret of a rotation. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Secret(@JsonProperty("hash") String hash, @JsonProperty("created_at") long createdAt,
                         @JsonProperty("expires_at") Long expiresAt) {

        public boolean activeAt(long now) {
            return expiresAt == null || expiresAt > now;
        }
    }

    public List<Secret> secretsOrEmpty() {
        return secrets == null ? List.of() : secrets;
    }

    public StoredClient withRegistration(ClientRegistration changed, long now) {
        return new StoredClient(id, changed, secrets, disabled, revokedBefore, source, seedDigest,
                changedAtRuntime || CONFIG.equals(source), registrationTokenHash, createdAt, now, version);
    }

    /**
     * @param nowMillis    epoch milliseconds, the change's time
     * @param cutOffMillis epoch milliseconds: a disable ends the families, codes and approvals begun up to then
     */
    public StoredClient withDisabled(boolean off, long nowMillis, long cutOffMillis) {
        return new StoredClient(id, registration, secrets, off, off ? cutOffMillis : revokedBefore, source, seedDigest,
                changedAtRuntime || CONFIG.equals(source), registrationTokenHash, createdAt, nowMillis / 1000,
                version);
    }

    /** The same client, whose refresh-token families begun up to {@code nowMillis} are revoked. */
    public StoredClient withRevokedBefore(long nowMillis) {
        return new StoredClient(id, registration, secrets, disabled, nowMillis, source, seedDigest, changedAtRuntime,
                registrationTokenHash, createdAt, updatedAt, version);
    }

    /** A new secret; the ones before it stay valid until {@code previousUntil} (epoch second), or less if sooner. */
    public StoredClient withNewSecret(String hash, long now, long previousUntil) {
        List<Secret> next = new ArrayList<>();
        for (Secret s : secretsOrEmpty()) {
            if (s.activeAt(now)) {
                long until = s.expiresAt() == null ? previousUntil : Math.min(s.expiresAt(), previousUntil);
                next.add(new Secret(s.hash(), s.createdAt(), until));
            }
        }
        next.add(new Secret(hash, now, null));
        return new StoredClient(id, registration, List.copyOf(next), disabled, revokedBefore, source, seedDigest,
                changedAtRuntime || CONFIG.equals(source), registrationTokenHash, createdAt, now, version);
    }

    /** Only the newest secret remains: the rotation's overlap ends now. */
    public StoredClient withPreviousSecretsRetired(long now) {
        List<Secret> all = secretsOrEmpty();
        List<Secret> newest = all.isEmpty() ? List.of() : List.of(all.get(all.size() - 1));
        return new StoredClient(id, registration, newest, disabled, revokedBefore, source, seedDigest,
                changedAtRuntime || CONFIG.equals(source), registrationTokenHash, createdAt, now, version);
    }

    public StoredClient withRegistrationTokenHash(String hash, long now) {
        return new StoredClient(id, registration, secrets, disabled, revokedBefore, source, seedDigest,
                changedAtRuntime, hash, createdAt, now, version);
    }

    StoredClient withVersion(long next) {
        return new StoredClient(id, registration, secrets, disabled, revokedBefore, source, seedDigest,
                changedAtRuntime, registrationTokenHash, createdAt, updatedAt, next);
    }
}
