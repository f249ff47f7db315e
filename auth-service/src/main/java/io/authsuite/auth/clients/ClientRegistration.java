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
        List<String> changed = new java.util.ArrayList<>();
        differs(changed, "client_type", before.type, type);
        differs(changed, "client_name", before.name, name);
        differs(changed, "grant_types", before.grantTypes, grantTypes);
        differs(changed, "scopes", before.scopes, scopes);
        differs(changed, "default_scopes", before.defaultScopes, defaultScopes);
        differs(changed, "audiences", before.audiences, audiences);
        differs(changed, "token_endpoint_auth_methods", before.authMethods, authMethods);
        differs(changed, "redirect_uris", before.redirectUris, redirectUris);
        differs(changed, "post_logout_redirect_uris", before.postLogoutRedirectUris, postLogoutRedirectUris);
        differs(changed, "allowed_origins", before.allowedOrigins, allowedOrigins);
        differs(changed, "application_type", before.applicationType, applicationType);
        differs(changed, "first_party", before.firstParty, firstParty);
        differs(changed, "introspection", before.introspection, introspection);
        differs(changed, "token_requests_per_minute", before.tokenRequestsPerMinute, tokenRequestsPerMinute);
        differs(changed, "jwks", before.jwks, jwks);
        differs(changed, "exchange", before.exchange, exchange);
        differs(changed, "dpop_bound_access_tokens", before.dpopBoundAccessTokens, dpopBoundAccessTokens);
        differs(changed, "require_pushed_authorization_requests", before.requirePushedAuthorizationRequests,
                requirePushedAuthorizationRequests);
        differs(changed, "require_signed_request_object", before.requireSignedRequestObject,
                requireSignedRequestObject);
        return List.copyOf(changed);
    }

    private static void differs(List<String> changed, String name, Object before, Object after) {
        if (!java.util.Objects.equals(before, after)) {
            changed.add(name);
        }
    }
}
