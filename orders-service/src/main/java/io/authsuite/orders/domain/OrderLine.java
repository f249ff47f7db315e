package io.authsuite.orders.domain;

/** One line of an order. */
public record OrderLine(String sku, int quantity) {
}
