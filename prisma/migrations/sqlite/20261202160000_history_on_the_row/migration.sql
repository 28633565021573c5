-- A ticket's row is the history of its issue, and of its use when it has
-- one use (lib/tickets/history.ts, docs/decisions/0016): the event rows
-- written for them before are dropped, or each would show twice.
DELETE FROM "ticket_events" WHERE "kind" = 'issued';
DELETE FROM "ticket_events" WHERE "kind" = 'used' AND "ticketId" IN (SELECT "id" FROM "tickets" WHERE "maxUses" = 1);

-- The console's "used per day" counts tickets of one use by the day they
-- closed: maxUses in the index makes that count read the index alone.
DROP INDEX "tickets_state_endedAt_idx";
CREATE INDEX "tickets_state_endedAt_maxUses_idx" ON "tickets"("state", "endedAt", "maxUses");
