package io.authsuite.nativeguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.nativeguard.fixtures.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NativeNeedsTest {

    private static final String PREFIX = "io.authsuite.nativeguard.fixtures.Fixtures$";

    private static NativeNeeds scanFixtures() throws IOException {
        NativeNeeds needs = new NativeNeeds("io/authsuite/nativeguard/fixtures/");
        for (Class<?> c : List.of(Fixtures.class, Fixtures.HiddenInResponse.class, Fixtures.NestedOfHidden.class,
                Fixtures.ListElement.class, Fixtures.RequestBody.class, Fixtures.Returned.class,
                Fixtures.StoredAsJson.class, Fixtures.ReadFromJson.class, Fixtures.Annotated.class,
                Fixtures.Envelope.class, Fixtures.InDetails.class, Fixtures.NeverJson.class, Fixtures.Resource.class)) {
            try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
                needs.addClass(in);
            }
        }
        return needs;
    }

    @Test
    void jsonTypesWhenHiddenInResponsesStoresAndDetailMapsThenAllFoundAndNothingElse() throws IOException {
        Set<String> found = scanFixtures().jsonTypes().keySet().stream()
                .map(t -> t.substring(PREFIX.length())).collect(Collectors.toSet());
        assertEquals(Set.of("HiddenInResponse", "NestedOfHidden", "ListElement", "RequestBody", "Returned",
                "StoredAsJson", "ReadFromJson", "Annotated", "Envelope", "InDetails"), found);
    }

    @Test
    void resourcesWhenLiteralOrBuiltFromPrefixThenBothFound() throws IOException {
        assertEquals(Set.of("fixture-data.json", "pages/*"), scanFixtures().resources().keySet());
    }

    @Test
    void guardWhenTypeMissingOrPartlyRegisteredThenEachNamed() throws IOException {
        ObjectMapper json = new ObjectMapper();
        NativeNeeds needs = scanFixtures();
        StringBuilder reflection = new StringBuilder("[");
        for (String type : needs.jsonTypes().keySet()) {
            if (type.endsWith("$Envelope")) {
                continue; // missing
            }
            boolean partial = type.endsWith("$InDetails");
            reflection.append(reflection.length() > 1 ? "," : "").append("{\"name\":\"").append(type)
                    .append("\",\"allDeclaredConstructors\":true,\"allDeclaredMethods\":true")
                    .append(partial ? "}" : ",\"allDeclaredFields\":true}");
        }
        reflection.append("]");
        String resources = "{\"resources\":{\"includes\":[{\"pattern\":\"\\\\Qfixture-data.json\\\\E\"},"
                + "{\"pattern\":\"\\\\Qpages/a.html\\\\E\"}]}}";
        List<String> problems = NativeGuard.problems(needs, json.readTree(reflection.toString()),
                json.readTree(resources), Set.of("fixture-data.json", "pages/a.html", "pages/b.html"));
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("$Envelope is not registered"), problems.get(0));
        assertTrue(problems.get(1).contains("$InDetails is registered without all"), problems.get(1));
        assertTrue(problems.get(2).contains("pages/b.html"), problems.get(2));
    }

    @Test
    void guardWhenEverythingRegisteredThenNoProblem() throws IOException {
        ObjectMapper json = new ObjectMapper();
        NativeNeeds needs = scanFixtures();
        String reflection = needs.jsonTypes().keySet().stream()
                .map(t -> "{\"name\":\"" + t + "\",\"allDeclaredConstructors\":true,\"allDeclaredMethods\":true,\"allDeclaredFields\":true}")
                .collect(Collectors.joining(",", "[", "]"));
        String resources = "{\"resources\":{\"includes\":[{\"pattern\":\"\\\\Qfixture-data.json\\\\E\"},{\"pattern\":\"pages/.*\"}]}}";
        assertEquals(List.of(), NativeGuard.problems(needs, json.readTree(reflection), json.readTree(resources),
                Set.of("fixture-data.json", "pages/a.html")));
    }
}
