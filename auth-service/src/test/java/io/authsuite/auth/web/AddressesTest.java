package io.authsuite.auth.web;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressesTest {

    @Test
    void forwardingWithoutTrustedProxiesThenRefusesToStart() {
        assertThrows(IllegalStateException.class, () -> new Addresses().check(null, true, Optional.empty()));
        assertThrows(IllegalStateException.class, () -> new Addresses().check(null, true, Optional.of(List.of())));
    }

    @Test
    void forwardingWithTrustedProxiesOrNoForwardingThenStarts() {
        assertDoesNotThrow(() -> new Addresses().check(null, true, Optional.of(List.of("10.244.0.0/16"))));
        assertDoesNotThrow(() -> new Addresses().check(null, false, Optional.empty()));
    }
}
