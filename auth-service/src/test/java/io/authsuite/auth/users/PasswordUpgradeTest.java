package io.authsuite.auth.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A password hash made with other parameters than today's (a seeded hash, or one from before a change) is replaced at
 * its owner's next sign-in, on the real Redis: unknown usernames are checked against a decoy with today's
 * parameters, and a stored hash that costs more or less would tell an attacker which usernames exist.
 */
@QuarkusTest
class PasswordUpgradeTest {

    private static final String TODAYS = "$argon2id$v=19$m=19456,t=2,p=1$";

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    @Inject
    RedisDataSource redis;

    @Test
    void signInWhenHashHasOldParametersThenReplacedWithTodaysAndPasswordStillWorks() {
        User user = create(hasher.hash("old-params-pw", 8192, 1, 1));

        assertTrue(users.authenticate(user.username(), "old-params-pw").isPresent());
        String replaced = storedHash(user);
        assertTrue(replaced.startsWith(TODAYS), replaced);
        assertFalse(hasher.needsRehash(replaced));

        assertTrue(users.authenticate(user.username(), "old-params-pw").isPresent());
        assertEquals(replaced, storedHash(user), "a hash with today's parameters is not replaced again");
        assertTrue(users.authenticate(user.username(), "wrong").isEmpty());
    }

    @Test
    void signInWhenPasswordWrongThenOldHashKept() {
        String old = hasher.hash("right-pw", 8192, 1, 1);
        User user = create(old);

        assertTrue(users.authenticate(user.username(), "wrong-pw").isEmpty());
        assertEquals(old, storedHash(user));
    }

    @Test
    void replaceHashWhenPasswordChangedMeanwhileThenTheChangeIsKept() {
        String verified = hasher.hash("first-pw", 8192, 1, 1);
        User user = create(verified);
        String changed = hasher.hash("second-pw");
        users.update(user.subject(), null, null, null, null, changed);

        assertFalse(users.replaceHash(user.subject(), verified, hasher.hash("first-pw")));
        assertEquals(changed, storedHash(user));
        assertTrue(users.authenticate(user.username(), "second-pw").isPresent());
        assertTrue(users.authenticate(user.username(), "first-pw").isEmpty());
    }

    @Test
    void signInWhenPasswordResetOrDisabledMeanwhileThenNoLongerUnchanged() {
        User reset = create(hasher.hash("before-pw"));
        UserStore.Verified verified = users.authenticate(reset.username(), "before-pw").orElseThrow();
        assertTrue(users.unchangedSince(verified));
        users.update(reset.subject(), null, null, null, null, hasher.hash("after-pw"));
        assertFalse(users.unchangedSince(verified), "a reset during the sign-in");

        User disabled = create(hasher.hash("before-pw"));
        UserStore.Verified before = users.authenticate(disabled.username(), "before-pw").orElseThrow();
        users.update(disabled.subject(), null, null, null, true, null);
        assertFalse(users.unchangedSince(before), "a disable during the sign-in");
    }

    @Test
    void signInWhenItUpgradedTheHashThenStillUnchanged() {
        User user = create(hasher.hash("old-params-pw", 8192, 1, 1));
        UserStore.Verified verified = users.authenticate(user.username(), "old-params-pw").orElseThrow();
        assertEquals(storedHash(user), verified.hash(), "the replacement is what the sign-in holds");
        assertTrue(users.unchangedSince(verified));
    }

    private User create(String passwordHash) {
        String name = "upgrade-" + UUID.randomUUID().toString().substring(0, 8);
        return users.create(name, passwordHash, name + "@example.test", name, Set.of("user"));
    }

    private String storedHash(User user) {
        return redis.hash(String.class).hget("auth:user:" + user.subject(), "password");
    }
}
