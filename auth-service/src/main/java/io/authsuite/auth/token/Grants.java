package io.authsuite.auth.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The grant handlers by {@code grant_type}: what the token endpoint dispatches to and discovery advertises. */
@ApplicationScoped
public class Grants {

    private final Map<String, GrantHandler> handlers = new TreeMap<>();

    public Grants(Instance<GrantHandler> grants) {
        grants.forEach(g -> {
            if (handlers.put(g.grantType(), g) != null) {
                throw new IllegalStateException("two handlers for grant type " + g.grantType());
            }
        });
    }

    public Optional<GrantHandler> forType(String grantType) {
        return Optional.ofNullable(handlers.get(grantType));
    }

    public Set<String> types() {
        return handlers.keySet();
    }
}
