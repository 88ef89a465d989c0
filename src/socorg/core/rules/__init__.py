"""Pure rules of the core mechanisms: plain values in, answers out (no ORM, no request)."""
