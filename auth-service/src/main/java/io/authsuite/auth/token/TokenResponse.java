package io.authsuite.auth.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A successful token response (RFC 6749 §5.1; RFC 8693 §2.2.1 adds {@code issued_token_type}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("scope") String scope,
        @JsonProperty("refresh_token") String refreshToken,
        @JsonProperty("id_token") String idToken,
        @JsonProperty("issued_token_type") String issuedTokenType) {

    public TokenResponse(String accessToken, String tokenType, long expiresIn, String scope, String refreshToken,
                         String idToken) {
        this(accessToken, tokenType, expiresIn, scope, refreshToken, idToken, null);
    }
}
