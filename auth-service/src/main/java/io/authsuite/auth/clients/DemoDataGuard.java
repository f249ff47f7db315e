package io.authsuite.auth.clients;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.users.PasswordHasher;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;

/**
 * Refuses to start the production profile while demo data or a publicly known demo credential is configured:
 * the demo secrets are printed in the README, so a server that accepted them would be open to anyone.
 */
@jakarta.enterprise.context.ApplicationScoped
public class DemoDataGuard {

    /** Client ids of the local demo, and the known secret of the one whose secret is public. */
    static final Set<String> DEMO_CLIENTS = Set.of("demo-cli");
    static final List<String> DEMO_SECRETS = List.of("demo-cli-secret");
    static final List<String> DEMO_PASSWORDS = List.of("alice-password", "admin-password");

    void check(@Observes StartupEvent event, AuthConfig config, ClientRegistry clients, PasswordHasher hasher) {
        if (!ConfigUtils.getProfiles().contains("prod")) {
            return;
        }
        if (config.demoData()) {
            throw new IllegalStateException("auth.demo-data=true in the prod profile: refusing to start");
        }
        config.seedUsers().forEach((username, seed) -> {
            if (DEMO_PASSWORDS.stream().anyMatch(p -> hasher.verify(p, seed.passwordHash()))) {
                throw new IllegalStateException("seed user " + username
                        + " has a demo password in the prod profile: refusing to start (demo credential)");
            }
        });
        for (RegisteredClient client : clients.all().values()) {
            boolean demoSecret = client.secrets().stream()
                    .anyMatch(secret -> DEMO_SECRETS.stream().anyMatch(s -> ClientSecrets.matches(s, secret.hash())));
            if (DEMO_CLIENTS.contains(client.id()) || demoSecret) {
                throw new IllegalStateException("client " + client.id()
                        + " uses a demo credential in the prod profile: refusing to start");
            }
        }
    }
}
