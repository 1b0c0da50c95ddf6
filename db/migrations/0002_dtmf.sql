-- DTMF on a call's legs: digits a party pressed (FreeSWITCH DTMF events) and digits the service sent
-- (uuid_send_dtmf). With Dtmf:MaskDigits on (the default) the digit column holds '•' instead of the digit,
-- because pressed digits are often PINs; the row still says when, on which leg, and how long.
CREATE TABLE call_dtmf (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id     uuid        NOT NULL REFERENCES calls (id),
    leg_uuid    uuid        NOT NULL,
    role        text        NOT NULL CHECK (role IN ('caller', 'callee', 'pstn')),
    digit       text        NOT NULL CHECK (char_length(digit) = 1),
    duration_ms integer     NOT NULL CHECK (duration_ms >= 0),
    source      text        NOT NULL CHECK (source IN ('pressed', 'sent')),
    at          timestamptz NOT NULL
);

CREATE INDEX call_dtmf_call_idx ON call_dtmf (call_id, at, id);
