// One call: its fields, a timeline of its state changes, its legs (CDRs), its DTMF log and its recording.
import { api } from '../api.js';
import { errorBox, h, render } from '../dom.js';
import { chip, duration, fallbackUsed, time } from '../format.js';
import { isCurrent } from '../router.js';
import { LAST_LIST } from './calls.js';

export async function showCall(id, generation) {
  const back = h('a', { href: sessionStorage.getItem(LAST_LIST) || '#/calls' }, '← Back to calls');
  render(back, h('p', { class: 'muted', 'aria-busy': 'true' }, 'Loading call…'));
  let detail;
  try {
    detail = await api.call(id);
  } catch (e) {
    if (isCurrent(generation)) render(back, errorBox(e.status === 404 ? { message: `No call ${id}.` } : e));
    return;
  }
  if (!isCurrent(generation)) return;

  const { call, legs, history, dtmf, recordingId } = detail;
  render(
    back,
    h('div', { class: 'page-head' }, h('h1', {}, 'Call ', h('span', { class: 'mono' }, call.id)), chip(call.status)),
    h('section', { class: 'panel', 'aria-labelledby': 'h-fields' }, h('h2', { id: 'h-fields', class: 'sr-title' }, 'Call'), fields(call)),
    h('section', { class: 'panel', 'aria-labelledby': 'h-timeline' }, h('h2', { id: 'h-timeline' }, 'Timeline'), timeline(call, history)),
    h('section', { class: 'panel', 'aria-labelledby': 'h-legs' }, h('h2', { id: 'h-legs' }, `Legs (${legs.length})`), legsTable(legs)),
    h('section', { class: 'panel', 'aria-labelledby': 'h-dtmf' }, h('h2', { id: 'h-dtmf' }, `DTMF (${dtmf.length})`), dtmfTable(dtmf)),
    h('section', { class: 'panel', 'aria-labelledby': 'h-recording' }, h('h2', { id: 'h-recording' }, 'Recording'), recording(recordingId, generation)));
}

function fields(call) {
  const entries = [
    ['Room', call.roomId], ['Caller', call.caller], ['Callee', call.callee], ['Callee number', call.calleeNumber],
    ['Media', call.media], ['Answered via', call.answeredVia === 'pstn' ? 'phone (PSTN)' : call.answeredVia],
    ['Fallback', fallbackUsed(call) ? `yes: ${call.fallbackReason}` : 'no'],
    ['Created (UTC)', time(call.createdAt)], ['Ringing', time(call.ringingAt)], ['Answered', time(call.answeredAt)],
    ['PSTN dialed', time(call.pstnDialedAt)], ['Ended', time(call.endedAt)],
    ['Duration', duration(call.duration)], ['Billsec', duration(call.billsec)],
    ['Hangup cause', call.hangupCause], ['SIP code', call.sipCode], ['Disposition', call.hangupDisposition],
    ['Hung up by', call.hungUpBy], ['FreeSWITCH node', call.freeswitchNode],
  ];
  return h('dl', { class: 'fields', id: 'call-fields' }, entries.map(([name, value]) =>
    h('div', {}, h('dt', {}, name), h('dd', {}, value === null || value === undefined || value === '' ? '—' : String(value)))));
}

function timeline(call, history) {
  if (history.length === 0) return h('p', { class: 'muted' }, 'No state changes recorded.');
  const start = new Date(call.createdAt).getTime();
  return h('ol', { class: 'timeline', id: 'timeline' }, history.map((change) => {
    const offset = (new Date(change.at).getTime() - start) / 1000;
    return h('li', { dataset: { to: change.toStatus } },
      h('time', { datetime: change.at }, time(change.at)),
      h('span', { class: 'offset' }, `${offset >= 0 ? '+' : '−'}${Math.abs(offset).toFixed(1)} s`),
      change.fromStatus ? [chip(change.fromStatus), ' → '] : null,
      chip(change.toStatus),
      change.reason ? h('span', { class: 'reason' }, change.reason) : null);
  }));
}

function legsTable(legs) {
  if (legs.length === 0) return h('p', { class: 'muted' }, 'No legs recorded.');
  const head = ['Role', 'Leg UUID', 'Channel', 'Direction', 'Start (UTC)', 'Answer', 'End', 'Duration', 'Billsec', 'Hangup cause', 'SIP', 'Codecs', 'Source'];
  return h('div', { class: 'table-wrap' }, h('table', { id: 'legs' },
    h('thead', {}, h('tr', {}, head.map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, legs.map((leg) => h('tr', { dataset: { role: leg.role ?? '' } },
      h('td', {}, leg.role ?? '—'),
      h('td', { class: 'mono' }, leg.legUuid),
      h('td', { class: 'mono' }, leg.channelName ?? ''),
      h('td', {}, leg.direction ?? ''),
      h('td', {}, time(leg.startAt)),
      h('td', {}, time(leg.answerAt)),
      h('td', {}, time(leg.endAt)),
      h('td', { class: 'num' }, duration(leg.duration)),
      h('td', { class: 'num' }, duration(leg.billsec)),
      h('td', { class: 'mono' }, leg.hangupCause ?? ''),
      h('td', {}, leg.sipTermStatus ?? ''),
      h('td', {}, [leg.readCodec, leg.writeCodec].filter(Boolean).join(' / ')),
      h('td', {}, leg.source ?? ''))))));
}

function dtmfTable(dtmf) {
  if (dtmf.length === 0) return h('p', { class: 'muted' }, 'No DTMF on this call.');
  return h('div', { class: 'table-wrap' }, h('table', { id: 'dtmf' },
    h('thead', {}, h('tr', {}, ['At (UTC)', 'Leg', 'Digit', 'Duration', 'Source'].map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, dtmf.map((d) => h('tr', {},
      h('td', {}, time(d.at)),
      h('td', {}, d.role),
      h('td', { class: 'mono' }, d.digit),
      h('td', { class: 'num' }, `${d.durationMs} ms`),
      h('td', {}, d.source))))));
}

// An <audio> element cannot send the Authorization header, so the archived file is fetched with the token and
// played from an object URL. The whole file is downloaded first (no Range requests from the player).
function recording(recordingId, generation) {
  const box = h('div', { id: 'recording', 'aria-live': 'polite' });
  if (!recordingId) {
    box.append(h('p', { class: 'muted' }, 'This call was not recorded.'));
    return box;
  }
  box.append(h('p', { class: 'muted' }, 'Loading the recording…'));
  api.recording(recordingId).then((blob) => {
    if (!isCurrent(generation)) return;
    const url = URL.createObjectURL(blob);
    const audio = h('audio', { controls: true, preload: 'metadata', src: url, 'aria-label': 'Call recording' });
    window.addEventListener('hashchange', () => URL.revokeObjectURL(url), { once: true });
    box.replaceChildren(audio, h('p', { class: 'muted' }, `Recording ${recordingId} · ${(blob.size / 1024).toFixed(1)} KiB`));
  }, (e) => {
    if (!isCurrent(generation)) return;
    box.replaceChildren(e.status === 404 || e.status === 409
      ? h('p', { class: 'muted' }, `Recording ${recordingId} is not archived (yet), so it cannot be played here.`)
      : errorBox(e));
  });
  return box;
}
