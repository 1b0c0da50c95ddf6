-- Status webhooks: one row per event an application is told about (call status changes, recording outcomes) and one
-- per delivery attempt, so an admin can see what was delivered, when, and what the receiver answered.

CREATE TABLE webhook_events (
    id              uuid        PRIMARY KEY,
    -- Insertion order. One call's events are inserted in the order they happened (its status writes are serialized),
    -- and delivery follows seq within a call: an event is first attempted once every earlier event of its call is
    -- delivered or failed.
    seq             bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    type            text        NOT NULL,
    call_id         uuid        NOT NULL REFERENCES calls (id),
    room_id         text        NOT NULL REFERENCES rooms (id),
    occurred_at     timestamptz NOT NULL,
    -- The receiver chosen when the event was recorded (the room's webhook_url, else the deployment's).
    url             text        NOT NULL,
    -- The exact body sent on every attempt (the signature covers these bytes).
    body            text        NOT NULL,
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- Set while a worker attempts it; a worker that died leaves it to expire.
    lease_until     timestamptz NULL,
    -- When a delivery job was last enqueued for it. The dispatcher enqueues an event that is due and was not
    -- dispatched since it became due (a retry), or whose job seems lost (dispatched long ago, still pending).
    dispatched_at   timestamptz NOT NULL DEFAULT now(),
    last_error      text        NULL,
    delivered_at    timestamptz NULL,
    failed_at       timestamptz NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX webhook_events_call_idx ON webhook_events (call_id, seq);
-- The sweep and the ordering check read pending events only.
CREATE INDEX webhook_events_pending_idx ON webhook_events (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_events_state_idx ON webhook_events (state, seq);

CREATE TABLE webhook_attempts (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    uuid        NOT NULL REFERENCES webhook_events (id),
    attempt     integer     NOT NULL CHECK (attempt > 0),
    started_at  timestamptz NOT NULL,
    duration_ms integer     NOT NULL CHECK (duration_ms >= 0),
    -- The receiver's status code, or null when there was none (timeout, refused connection).
    http_status integer     NULL,
    error       text        NULL,
    outcome     text        NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
    UNIQUE (event_id, attempt)
);
