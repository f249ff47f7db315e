package io.authsuite.auth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.TimeoutException;
import org.junit.jupiter.api.Test;

/** When a token request's 503 may invite a retry with its single-use grant. */
class SingleUseSpendTest {

    private static final RuntimeException READONLY =
            new RuntimeException("READONLY You can't write against a read only replica.");

    @Test
    void failureBeforeTheSpendWasSentThenRetryInvitedAndALateSpendRefused() {
        SingleUseSpend spend = new SingleUseSpend();
        assertTrue(spend.retryMaySucceed(new TimeoutException()));
        // A grant still queued on a worker when the endpoint answered must not use up the grant it was told to retry.
        OAuthError late = assertThrows(OAuthError.class, spend::sending);
        assertEquals(503, late.status());
    }

    @Test
    void spendSentWhenRedisDidNotAnswerOrDroppedTheConnectionThenNoRetry() {
        SingleUseSpend timedOut = new SingleUseSpend();
        timedOut.sending();
        assertFalse(timedOut.retryMaySucceed(new TimeoutException()));
        SingleUseSpend dropped = new SingleUseSpend();
        dropped.sending();
        assertFalse(dropped.retryMaySucceed(new RuntimeException("Connection is closed")));
    }

    @Test
    void spendSentWhenRedisRefusedItThenRetryInvited() {
        SingleUseSpend spend = new SingleUseSpend();
        spend.sending();
        assertTrue(spend.retryMaySucceed(READONLY));
    }

    @Test
    void grantSpentWhenALaterCommandIsRefusedThenNoRetry() {
        SingleUseSpend spend = new SingleUseSpend();
        spend.sending();
        spend.spent();
        assertFalse(spend.retryMaySucceed(READONLY));
    }
}
