package io.authsuite.inventory.domain;

import java.util.List;

/** What a reservation attempt did. */
public sealed interface ReservationOutcome {

    /** Stock was reserved now. */
    record Reserved(Reservation reservation) implements ReservationOutcome {
    }

    /** The order had already reserved: nothing changed (the call is idempotent per order id). */
    record AlreadyReserved(Reservation reservation) implements ReservationOutcome {
    }

    /**
     * The order's reservation was released before it existed: its caller gave up on this very call and released
     * the order. Nothing was reserved.
     */
    record ReleasedBefore() implements ReservationOutcome {
    }

    /** Some lines lack stock: nothing was reserved. */
    record Insufficient(List<ShortLine> lines) implements ReservationOutcome {
    }

    /** Some skus do not exist: nothing was reserved. */
    record UnknownSkus(List<String> skus) implements ReservationOutcome {
    }

    /** Some items are discontinued: nothing was reserved. */
    record Discontinued(List<String> skus) implements ReservationOutcome {
    }
}
