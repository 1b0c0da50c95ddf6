// Drives the FreeSWITCH simulator with modesl (an independent, widely used ESL client) and prints one JSON
// object with what modesl saw. Usage: node drive.js <eslPort> <password> <controlPort>
'use strict';
const esl = require('modesl');

const [eslPort, password, controlPort] = process.argv.slice(2);
const control = `http://127.0.0.1:${controlPort}`;
const result = { steps: [] };

const fail = (why) => {
    result.error = String(why && why.stack || why);
    process.stdout.write(JSON.stringify(result) + '\n');
    process.exit(1);
};
setTimeout(() => fail('timed out'), 30000).unref();

const post = async (path, body) => {
    const r = await fetch(control + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body || {}),
    });
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return r.status === 204 ? null : r.json();
};

// Every CHANNEL_CREATE modesl hands us (it emits esl::event::NAME::<Unique-ID>); an event can arrive before the
// control API's response does, so we record them all and look the call up afterwards.
const created = [];
const waiters = [];
const createdFor = (uuid) => new Promise((resolve) => {
    const hit = created.find((e) => e.getHeader('Unique-ID') === uuid);
    if (hit) resolve(hit); else waiters.push({ uuid, resolve });
});

const conn = new esl.Connection('127.0.0.1', Number(eslPort), password, async () => {
    try {
        result.steps.push('authed');

        const status = await new Promise((resolve) => conn.api('status', resolve));
        result.status = { contentType: status.getHeader('Content-Type'), body: status.getBody() };

        const job = await new Promise((resolve) => conn.bgapi('status', resolve));
        result.bgapi = {
            eventName: job.getHeader('Event-Name'),
            jobUuid: job.getHeader('Job-UUID'),
            jobCommand: job.getHeader('Job-Command'),
            body: job.getBody(),
        };

        const plainReply = await new Promise((resolve) => conn.events('plain', 'CHANNEL_CREATE', resolve));
        result.plainReply = plainReply.getHeader('Reply-Text');
        await post('/clients/1000/login', { password: '1234' });
        const call = await post('/clients/1000/calls', { destination: 'room-m1' });
        const plainEvent = await createdFor(call.uuid);
        result.plainEvent = {
            uuid: call.uuid,
            eventName: plainEvent.getHeader('Event-Name'),
            uniqueId: plainEvent.getHeader('Unique-ID'),
            hostname: plainEvent.getHeader('FreeSWITCH-Hostname'),
            ipv6: plainEvent.getHeader('FreeSWITCH-IPv6'),
            channelName: plainEvent.getHeader('Channel-Name'),
        };

        const jsonReply = await new Promise((resolve) => conn.events('json', 'CHANNEL_CREATE', resolve));
        result.jsonReply = jsonReply.getHeader('Reply-Text');
        const second = await post('/clients/1000/calls', { destination: 'room-m2' });
        const jsonEvent = await createdFor(second.uuid);
        result.jsonEvent = {
            uuid: second.uuid,
            eventName: jsonEvent.getHeader('Event-Name'),
            uniqueId: jsonEvent.getHeader('Unique-ID'),
            ipv6: jsonEvent.getHeader('FreeSWITCH-IPv6'),
            destination: jsonEvent.getHeader('Caller-Destination-Number'),
        };

        conn.disconnect();
        result.steps.push('done');
        process.stdout.write(JSON.stringify(result) + '\n');
        process.exit(0);
    } catch (e) {
        fail(e);
    }
});
conn.on('error', fail);
conn.on('esl::event::CHANNEL_CREATE::**', (evt) => {
    created.push(evt);
    for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i].uuid === evt.getHeader('Unique-ID')) waiters.splice(i, 1)[0].resolve(evt);
    }
});
