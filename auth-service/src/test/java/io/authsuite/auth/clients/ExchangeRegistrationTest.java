package io.authsuite.auth.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.config.AuthConfig;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A client's token-exchange registration is checked at start: a wrong one stops the server with a clear reason. */
class ExchangeRegistrationTest {

    private static final String EXCHANGE = ClientRegistry.TOKEN_EXCHANGE;

    /** An implementation of a config interface answering from {@code values}; every other method is empty. */
    @SuppressWarnings("unchecked")
    private static <T> T config(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            Class<?> r = method.getReturnType();
            if (r == Optional.class) {
                return Optional.empty();
            }
            if (r == Map.class) {
                return Map.of();
            }
            if (r == boolean.class) {
                return false;
            }
            if (method.getName().equals("type")) {
                return "confidential";
            }
            if (method.getName().equals("applicationType")) {
                return "web";
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }

    private static ResourceRegistry resources() {
        AuthConfig.Resource inventory = config(AuthConfig.Resource.class,
                Map.of("scopes", Set.of("inventory:read", "inventory:reserve")));
        AuthConfig.Resource orders = config(AuthConfig.Resource.class, Map.of("scopes", Set.of("orders:write")));
        return new ResourceRegistry(config(AuthConfig.class,
                Map.of("resources", Map.of("inventory-service", inventory, "orders-service", orders))));
    }

    private static AuthConfig.Exchange exchange(Set<String> scopes, Set<String> subjectScopes) {
        return config(AuthConfig.Exchange.class, Map.of("scopes", scopes,
                "subjectScopes", subjectScopes.isEmpty() ? Optional.empty() : Optional.of(subjectScopes)));
    }

    private static RegisteredClient client(Set<String> grants, Set<String> scopes, Map<String, AuthConfig.Exchange> exchange) {
        Map<String, Object> values = new HashMap<>();
        values.put("secretHash", Optional.of(ClientSecrets.hash("a-secret-for-this-test-only-0123456789")));
        values.put("grantTypes", grants);
        values.put("scopes", scopes);
        values.put("exchange", exchange);
        return ClientRegistry.toClient("svc", config(AuthConfig.Client.class, values), resources());
    }

    @Test
    void registeredWithExchangeThenPolicyByAudience() {
        RegisteredClient c = client(Set.of("client_credentials", EXCHANGE), Set.of("inventory:reserve"),
                Map.of("inventory-service", exchange(Set.of("inventory:reserve"), Set.of("orders:write"))));
        assertEquals(new RegisteredClient.ExchangePolicy(Set.of("inventory:reserve"), Set.of("orders:write")),
                c.exchange().get("inventory-service"));
        assertTrue(client(Set.of("client_credentials"), Set.of("inventory:reserve"), Map.of()).exchange().isEmpty());
    }

    @Test
    void exchangeWithoutTheGrantOrGrantWithoutExchangeThenRefused() {
        assertRefused("needs exchange", () -> client(Set.of(EXCHANGE), Set.of("inventory:reserve"), Map.of()));
        assertRefused("needs exchange", () -> client(Set.of("client_credentials"), Set.of("inventory:reserve"),
                Map.of("inventory-service", exchange(Set.of("inventory:reserve"), Set.of()))));
    }

    @Test
    void exchangeScopeOfAnotherAudienceOrNotTheClientsThenRefused() {
        assertRefused("is not one of inventory-service", () -> client(Set.of(EXCHANGE), Set.of("orders:write"),
                Map.of("inventory-service", exchange(Set.of("orders:write"), Set.of()))));
        assertRefused("not among the client's scopes", () -> client(Set.of(EXCHANGE), Set.of("inventory:read"),
                Map.of("inventory-service", exchange(Set.of("inventory:reserve"), Set.of()))));
        assertRefused("is empty", () -> client(Set.of(EXCHANGE), Set.of("inventory:read"),
                Map.of("inventory-service", exchange(Set.of(), Set.of()))));
    }

    private static void assertRefused(String reason, org.junit.jupiter.api.function.Executable registration) {
        IllegalStateException e = assertThrows(IllegalStateException.class, registration);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
