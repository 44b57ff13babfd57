-- Who charged the payment (the caller's token subject). A payment the order saga charged belongs
-- to its order: only the saga refunds it, so the order always knows what went back (a partial
-- refund is an order operation, POST /api/orders/{id}/refunds).
alter table payments add column charged_by text;
