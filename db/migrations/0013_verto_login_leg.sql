-- The leg a one-time login placed. Consuming the login records it, and consuming it again for the same leg finds it
-- consumed by that leg: a consume whose reply was lost (it landed, the service saw an error) and that is tried again,
-- by the retry or by the next owner's reconcile, adopts the leg instead of hanging it up as a replay.
-- Nullable and without a default: adding it rewrites nothing.
ALTER TABLE verto_logins ADD COLUMN used_by_leg text;
