package dev.him.requests.disclosure;

import jakarta.validation.constraints.NotNull;
import java.time.LocalDate;

/** The day the individual was told of the fee, in advance, with the chance to withdraw. */
public record FeeNotice(@NotNull LocalDate sentOn) {}
