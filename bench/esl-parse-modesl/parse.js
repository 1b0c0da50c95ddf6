// The modesl side of bench/esl-parse: modesl 1.2.1's own Parser (lib/esl/Parser.js), fed the same event stream from
// memory through a stand-in socket (an EventEmitter emitting 'data' chunks), counting the events it emits and reading
// what a consumer would (Event-Name, Unique-ID, one variable). Prints one JSON line: {events, seconds, bytes, errors}.
'use strict';
const fs = require('fs');
const { EventEmitter } = require('events');
const Parser = require('modesl/lib/esl/Parser');

const [unitFile, minBytesArg, chunkArg] = process.argv.slice(2);
const unit = fs.readFileSync(unitFile);
const targetBytes = Number(minBytesArg || 200e6);
const chunk = Number(chunkArg || 65536);
const copies = Math.max(1, Math.ceil(targetBytes / unit.length));
const stream = Buffer.concat(Array(copies).fill(unit));

function run(data) {
  const socket = new EventEmitter();
  const parser = new Parser(socket);
  let events = 0;
  let errors = 0;
  let sink = 0;
  parser.on('esl::event', (event) => {
    events++;
    const name = event.getHeader('Event-Name');
    const uuid = event.getHeader('Unique-ID');
    const callUuid = event.getHeader('variable_call_uuid');
    sink += (name ? name.length : 0) + (uuid ? 1 : 0) + (callUuid ? 1 : 0);
  });
  parser.on('error', () => { errors++; });
  const start = process.hrtime.bigint();
  for (let off = 0; off < data.length; off += chunk) {
    try {
      socket.emit('data', data.subarray(off, Math.min(off + chunk, data.length)));
    } catch (e) {
      // decodeURIComponent throws on what it cannot decode; modesl lets it escape from the socket handler.
      errors++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { events, seconds, bytes: data.length, errors, sink };
}

run(unit); // warm-up: let V8 optimise the parser before timing
const result = run(stream);
process.stdout.write(JSON.stringify(result) + '\n');
