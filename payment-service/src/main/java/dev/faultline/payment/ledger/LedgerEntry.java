package dev.faultline.payment.ledger;

import java.time.Instant;

/** One leg of a movement, as an account's statement shows it. */
public record LedgerEntry(
    long id, String movementId, MovementKind kind, long amountCents, Instant at) {}
