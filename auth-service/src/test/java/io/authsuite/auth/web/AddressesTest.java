package io.authsuite.auth.web;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

    @Test
    void sourceWhenIpv6AddressesShareTheirSlash64ThenOneBudget() {
        assertEquals(Addresses.source("2001:db8:1:2::1"), Addresses.source("2001:db8:1:2:ffff:ffff:ffff:fffe"));
        assertEquals(Addresses.source("2001:db8:1:2::1"), Addresses.source("2001:0db8:0001:0002:0:0:0:9"));
        assertEquals("2001:db8:1:2::/64", Addresses.source("2001:db8:1:2::1"));
        assertNotEquals(Addresses.source("2001:db8:1:2::1"), Addresses.source("2001:db8:1:3::1"));
    }

    @Test
    void sourceWhenIpv4OrMappedIpv4ThenTheAddressItself() {
        assertEquals("203.0.113.7", Addresses.source("203.0.113.7"));
        assertEquals("203.0.113.7", Addresses.source("::ffff:203.0.113.7"));
        assertNotEquals(Addresses.source("203.0.113.7"), Addresses.source("203.0.113.8"));
        assertEquals("unknown", Addresses.source("unknown"));
    }
}
