package io.authsuite.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErrorTextTest {

    /** RFC 6749 §5.2: error_description = 1*( %x20-21 / %x23-5B / %x5D-7E ). */
    static final String ALLOWED = "[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]*";

    @Test
    void descriptionWhenPlainThenSameText() {
        String text = "unknown resource https://orders.example/api?x=1";
        assertSame(text, ErrorText.description(text));
    }

    @Test
    void descriptionWhenQuoteBackslashLineBreakOrNonAsciiThenReplaced() {
        assertEquals("unknown resource 'a?b?c???'", ErrorText.description("unknown resource \"a\\b\nc\té\u2028\""));
        assertTrue(ErrorText.description("\u0000\u007f\u00ff\ud83d\ude00 ok").matches(ALLOWED));
    }

    @Test
    void descriptionWhenLongerThanLimitThenCut() {
        String cut = ErrorText.description("x".repeat(10_000));
        assertEquals(ErrorText.MAX_LENGTH, cut.length());
        assertTrue(cut.endsWith("..."));
        String cutWithReplacement = ErrorText.description("é".repeat(10_000));
        assertEquals(ErrorText.MAX_LENGTH, cutWithReplacement.length());
        assertTrue(cutWithReplacement.matches(ALLOWED));
    }

    @Test
    void descriptionWhenNullThenNull() {
        assertNull(ErrorText.description(null));
    }
}
