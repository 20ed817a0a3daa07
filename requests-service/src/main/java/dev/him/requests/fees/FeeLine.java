package dev.him.requests.fees;

import java.math.BigDecimal;

/** One line of a quote: what, how many, at what price, and the rule or schedule entry behind it. */
public record FeeLine(
    String code,
    String description,
    int quantity,
    BigDecimal unitPrice,
    BigDecimal amount,
    String basis) {}
