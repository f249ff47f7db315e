package io.authsuite.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's RSS trend: a sustained climb counts, one late step does not. */
class SoakTrendTest {

    private static final List<Long> SECONDS = List.of(60L, 70L, 80L, 90L, 100L, 110L, 120L);

    @Test
    void trendWhenFlatThenOneLateStepThenUnderOnePercent() {
        // The samples of a CI soak whose last sample caught the heap growing once.
        double growth = SoakIT.trend(SECONDS, List.of(193.3, 193.7, 193.9, 194.1, 194.2, 194.3, 224.8));
        assertTrue(growth < 0.01, "growth " + growth);
    }

    @Test
    void trendWhenClimbingSteadilyThenItsGrowth() {
        double growth = SoakIT.trend(SECONDS, List.of(100.0, 105.0, 110.0, 115.0, 120.0, 125.0, 130.0));
        assertTrue(growth > 0.29 && growth < 0.31, "growth " + growth);
    }
}
