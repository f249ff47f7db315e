package io.authsuite.auth.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsernamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"alice", " alice", "ALICE\t", "alice\u00A0", "\u2007alice", "alice\u202F",
        "\u3000alice", "\uFF41\uFF4C\uFF49\uFF43\uFF45", "\u00A0\u00A0Alice\u00A0"})
    void canonicalWhenSpaceCaseOrWidthVariantThenTheOneName(String variant) {
        assertEquals(Optional.of("alice"), Usernames.canonical(variant));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "Alice Smith", "\u00C5sa", "\u0130stanbul", "stra\u00DFe", "\uFB01sh", "x\u00A0y",
        "\u2160\u2161", "\u1E9E", "\u03A3\u039F\u03A3", "\u0041\u030A"})
    void canonicalWhenAcceptedThenItsOwnCanonicalForm(String name) {
        Optional<String> once = Usernames.canonical(name);
        assertTrue(once.isPresent(), name);
        // The throttle and the store's index each canonicalise: a second pass must land on the same name.
        assertEquals(once, Usernames.canonical(once.get()), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\u00A0", "a\u0000b", "a\u200Bb", "a\u202E", "a\nb", "a\u2028b"})
    void canonicalWhenBlankOrHoldingInvisibleCharactersThenNone(String hostile) {
        assertEquals(Optional.empty(), Usernames.canonical(hostile));
    }
}
