-- Many nodes, many instances. Which instance steers a node is not stored here: it is the holder of the node's
-- PostgreSQL session advisory lock (pg_try_advisory_lock on a dedicated connection), which frees itself when that
-- connection dies. What every instance must agree on and survive restarts is the operator's drain: a draining node
-- gets no new rooms, its running calls go on.
CREATE TABLE node_drains (
    node       text        PRIMARY KEY,
    draining   boolean     NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text        NULL
);

-- The admin node view counts each node's calls in progress.
CREATE INDEX calls_live_node_idx ON calls (freeswitch_node)
    WHERE status IN ('ringing', 'fallback-dialing', 'answered');
