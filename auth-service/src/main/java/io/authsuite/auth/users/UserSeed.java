package io.authsuite.auth.users;

import io.authsuite.auth.config.AuthConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Creates the users of {@code auth.seed-users} that do not exist yet (local runs). */
@ApplicationScoped
public class UserSeed {

    private static final Logger LOG = Logger.getLogger(UserSeed.class);

    void seed(@Observes StartupEvent event, AuthConfig config, UserStore users,
              PasswordHasher hasher) {
        config.seedUsers().forEach((username, seed) -> {
            if (!PasswordHasher.isHash(seed.passwordHash())) {
                throw new IllegalStateException("auth.seed-users." + username + ".password-hash is not an Argon2id hash");
            }
            if (users.byUsername(username).isEmpty()) {
                try {
                    users.create(username, seed.passwordHash(), seed.email(), seed.name(), seed.roles());
                    LOG.infof("Seeded user %s", username);
                    if (hasher.needsRehash(seed.passwordHash())) {
                        LOG.infof("The seeded password hash of %s has other Argon2id parameters than this server's;"
                                + " it is replaced at the user's first sign-in", username);
                    }
                } catch (UserStore.UsernameTakenException raced) {
                    // another replica seeded it first
                }
            }
        });
    }
}
