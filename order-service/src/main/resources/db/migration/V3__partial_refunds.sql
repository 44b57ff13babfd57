-- Partial refunds are order operations (POST /api/orders/{id}/refunds), so the order knows what
-- went back: refunded_cents is the money returned so far (by partial refunds, and by a cancel's
-- refund of the rest), refund_pending_cents the partial refund in flight, and partial_refunds how
-- many were started (the n of the saga's operation ID order-<id>-refund-<n>).
alter table orders add column refunded_cents bigint not null default 0 check (refunded_cents >= 0);
alter table orders
  add column refund_pending_cents bigint not null default 0 check (refund_pending_cents >= 0);
alter table orders add column partial_refunds int not null default 0 check (partial_refunds >= 0);
alter table orders
  add constraint orders_refunds_within_total
  check (refunded_cents + refund_pending_cents <= total_cents);
