package io.authsuite.resourceserver.openapi;

import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.security.OAuthFlow;
import org.eclipse.microprofile.openapi.models.security.OAuthFlows;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Describes the API's OAuth 2.0 security in its OpenAPI document: the token and authorization endpoints of the
 * configured issuer ({@code mp.jwt.verify.issuer}) and the scopes of {@code authsuite.openapi.scopes}
 * ({@code scope=description,...}). Runs at start, so the document names the issuer of the deployment.
 */
public class OAuthSecuritySchemeFilter implements OASFilter {

    public static final String SCHEME = "oauth2";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Config config = ConfigProvider.getConfig();
        String issuer = config.getOptionalValue("mp.jwt.verify.issuer", String.class).orElse("http://127.0.0.1:8080");
        Map<String, String> scopes = new TreeMap<>();
        for (String entry : config.getOptionalValue("authsuite.openapi.scopes", String[].class).orElse(new String[0])) {
            int eq = entry.indexOf('=');
            scopes.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? entry : entry.substring(eq + 1));
        }
        OAuthFlows flows = OASFactory.createOAuthFlows()
                .clientCredentials(flow(issuer, scopes, false))
                .authorizationCode(flow(issuer, scopes, true));
        SecurityScheme scheme = OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.OAUTH2)
                .description("Bearer access tokens (RS256 JWT) from auth-service; 401/403 follow RFC 6750")
                .flows(flows);
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme(SCHEME, scheme);
        openAPI.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(SCHEME));
    }

    private static OAuthFlow flow(String issuer, Map<String, String> scopes, boolean authorizationCode) {
        OAuthFlow flow = OASFactory.createOAuthFlow().tokenUrl(issuer + "/oauth2/token").scopes(scopes);
        return authorizationCode ? flow.authorizationUrl(issuer + "/oauth2/authorize") : flow;
    }
}
