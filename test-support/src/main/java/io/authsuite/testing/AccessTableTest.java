package io.authsuite.testing;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The three checks of a service's access table ({@link AccessModel}); a {@code @QuarkusTest} subclass declares the
 * service's rows.
 */
public abstract class AccessTableTest {

    private AccessModel model;
    private String openApi;

    /** The service's rows, given every scope its OpenAPI document declares. */
    protected abstract AccessModel model(Set<String> scopes);

    /** What the README rows of this service have in their endpoint cell. */
    protected abstract String pathPrefix();

    @BeforeEach
    void describe() {
        openApi = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        Map<String, Object> scopes = JsonPath.from(openApi)
                .getMap("components.securitySchemes.oauth2.flows.clientCredentials.scopes");
        model = model(scopes.keySet());
    }

    @Test
    void readmeAccessTableListsExactlyTheseRules() {
        model.assertReadmeMatches(Path.of("..", "README.md"), pathPrefix());
    }

    @Test
    void accessTableCoversEveryOperationOfTheApi() {
        model.assertCoversOpenApi(openApi);
    }

    @Test
    void everyOperationEnforcesItsRowOfTheAccessTable() {
        model.assertEnforced();
    }
}
