package io.authsuite.auth.clients;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.authsuite.auth.config.AuthConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * What a client is registered for, as data: the seed of a configured client ({@code auth.clients.<id>.*}), the body
 * of the admin API, and the stored registration in Redis. Absent values take the defaults of the configuration keys;
 * {@link ClientRegistry#toClient} checks it the same way whatever its source.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientRegistration(
        @JsonProperty("client_type") String type,
        @JsonProperty("client_name") String name,
        @JsonProperty("grant_types") List<String> grantTypes,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("default_scopes") List<String> defaultScopes,
        @JsonProperty("audiences") List<String> audiences,
        @JsonProperty("token_endpoint_auth_methods") List<String> authMethods,
        @JsonProperty("redirect_uris") List<String> redirectUris,
        @JsonProperty("post_logout_redirect_uris") List<String> postLogoutRedirectUris,
        @JsonProperty("allowed_origins") List<String> allowedOrigins,
        @JsonProperty("application_type") String applicationType,
        @JsonProperty("first_party") Boolean firstParty,
        @JsonProperty("introspection") Boolean introspection,
        @JsonProperty("token_requests_per_minute") Integer tokenRequestsPerMinute,
        @JsonProperty("jwks") Map<String, Object> jwks,
        @JsonProperty("exchange") Map<String, Exchange> exchange,
        @JsonProperty("dpop_bound_access_tokens") Boolean dpopBoundAccessTokens) {

    /** Token exchange at one audience (RFC 8693): see {@link AuthConfig.Exchange}. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Exchange(@JsonProperty("scopes") List<String> scopes,
                           @JsonProperty("subject_scopes") List<String> subjectScopes) {
    }

    public String typeOrDefault() {
        return type == null ? "confidential" : type;
    }

    public List<String> grantTypesOrEmpty() {
        return grantTypes == null ? List.of() : grantTypes;
    }

    public List<String> scopesOrEmpty() {
        return scopes == null ? List.of() : scopes;
    }

    public Map<String, Exchange> exchangeOrEmpty() {
        return exchange == null ? Map.of() : exchange;
    }

    /** A set from configuration in a stable order: the seed's digest, and what the admin API shows, do not wander. */
    private static List<String> sorted(java.util.Collection<String> values) {
        return List.copyOf(new java.util.TreeSet<>(values));
    }

    /** The registration a configured client seeds. */
    public static ClientRegistration of(String id, AuthConfig.Client c) {
        Map<String, Exchange> exchange = new java.util.TreeMap<>();
        c.exchange().forEach((audience, e) -> exchange.put(audience, new Exchange(sorted(e.scopes()),
                e.subjectScopes().map(ClientRegistration::sorted).orElse(null))));
        Map<String, Object> jwks = c.jwks().map(json -> {
            try {
                return JsonUtil.parseJson(json);
            } catch (JoseException e) {
                throw new IllegalStateException("auth.clients." + id + ": jwks is not JSON");
            }
        }).orElse(null);
        return new ClientRegistration(c.type(), null, sorted(c.grantTypes()), sorted(c.scopes()),
                c.defaultScopes().map(ClientRegistration::sorted).orElse(null),
                c.audiences().map(ClientRegistration::sorted).orElse(null),
                c.authMethods().map(ClientRegistration::sorted).orElse(null),
                c.redirectUris().map(List::copyOf).orElse(null),
                c.postLogoutRedirectUris().map(List::copyOf).orElse(null),
                c.allowedOrigins().map(ClientRegistration::sorted).orElse(null), c.applicationType(), c.firstParty(),
                c.introspection(), c.tokenRequestsPerMinute().orElse(null), jwks,
                exchange.isEmpty() ? null : exchange, c.dpopBoundAccessTokens());
    }
}
