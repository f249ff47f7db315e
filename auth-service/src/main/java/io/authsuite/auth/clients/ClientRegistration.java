package io.authsuite.auth.clients;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * What a client is registered for, as data: the seed of a configured client ({@code auth.clients.<id>.*}), the body
 * of the admin API, and the stored registration in Redis. Absent values take the defaults of the configuration keys;
 * {@link ClientRegistry#toClient} checks it the same way whatever its source. Plain data: the configuration's
 * {@code auth.clients.<id>} turns into one in {@link ClientRegistry}.
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
        @JsonProperty("dpop_bound_access_tokens") Boolean dpopBoundAccessTokens,
        @JsonProperty("require_pushed_authorization_requests") Boolean requirePushedAuthorizationRequests,
        @JsonProperty("require_signed_request_object") Boolean requireSignedRequestObject) {

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

    /** The JSON names of the members that differ from {@code before}'s, for the audit trail of a change. */
    public List<String> changedFrom(ClientRegistration before) {
        Map<String, Object[]> pairs = new java.util.LinkedHashMap<>();
        pairs.put("client_type", new Object[] {before.type, type});
        pairs.put("client_name", new Object[] {before.name, name});
        pairs.put("grant_types", new Object[] {before.grantTypes, grantTypes});
        pairs.put("scopes", new Object[] {before.scopes, scopes});
        pairs.put("default_scopes", new Object[] {before.defaultScopes, defaultScopes});
        pairs.put("audiences", new Object[] {before.audiences, audiences});
        pairs.put("token_endpoint_auth_methods", new Object[] {before.authMethods, authMethods});
        pairs.put("redirect_uris", new Object[] {before.redirectUris, redirectUris});
        pairs.put("post_logout_redirect_uris", new Object[] {before.postLogoutRedirectUris, postLogoutRedirectUris});
        pairs.put("allowed_origins", new Object[] {before.allowedOrigins, allowedOrigins});
        pairs.put("application_type", new Object[] {before.applicationType, applicationType});
        pairs.put("first_party", new Object[] {before.firstParty, firstParty});
        pairs.put("introspection", new Object[] {before.introspection, introspection});
        pairs.put("token_requests_per_minute", new Object[] {before.tokenRequestsPerMinute, tokenRequestsPerMinute});
        pairs.put("jwks", new Object[] {before.jwks, jwks});
        pairs.put("exchange", new Object[] {before.exchange, exchange});
        pairs.put("dpop_bound_access_tokens", new Object[] {before.dpopBoundAccessTokens, dpopBoundAccessTokens});
        pairs.put("require_pushed_authorization_requests",
                new Object[] {before.requirePushedAuthorizationRequests, requirePushedAuthorizationRequests});
        pairs.put("require_signed_request_object",
                new Object[] {before.requireSignedRequestObject, requireSignedRequestObject});
        return pairs.entrySet().stream().filter(e -> !java.util.Objects.equals(e.getValue()[0], e.getValue()[1]))
                .map(Map.Entry::getKey).toList();
    }
}
