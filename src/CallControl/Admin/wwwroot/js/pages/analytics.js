// Analytics: outcomes over time (stacked bars per hour or day) and the ASR / ACD / PDD / setup-time figures,
// from /api/admin/stats. Buckets are cut in UTC.
import { api } from '../api.js';
import { errorBox, h, render } from '../dom.js';
import { inputFromInstant, instantFromInput, percent, seconds, time } from '../format.js';
import { go, isCurrent } from '../router.js';
import { outcomeChart } from '../chart.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const MAX_BUCKETS = 800;

/** The range in the URL, or the last 7 days (to the end of today, UTC). */
function range(params) {
  const bucket = params.get('bucket') === 'hour' ? 'hour' : 'day';
  const endOfToday = new Date(Math.floor(Date.now() / DAY) * DAY + DAY);
  const to = params.get('to') ?? endOfToday.toISOString();
  const from = params.get('from') ?? new Date(new Date(to).getTime() - 7 * DAY).toISOString();
  return { from, to, bucket };
}

/** Every bucket start (ISO, as the API writes it) from the bucket holding `from` up to `to`. */
function slots(from, to, bucket) {
  const size = bucket === 'hour' ? HOUR : DAY;
  const out = [];
  const end = new Date(to).getTime();
  for (let t = Math.floor(new Date(from).getTime() / size) * size; t < end && out.length <= MAX_BUCKETS; t += size) {
    out.push(new Date(t).toISOString());
  }
  return out;
}

const key = (iso) => new Date(iso).toISOString();

export async function showAnalytics(params, generation) {
  const { from, to, bucket } = range(params);
  const form = h('form', { class: 'panel', 'aria-label': 'Range', novalidate: true },
    h('div', { class: 'filters' },
      h('div', {}, h('label', { for: 'a-from' }, 'From (UTC)'), h('input', { id: 'a-from', name: 'from', type: 'datetime-local', value: inputFromInstant(from) })),
      h('div', {}, h('label', { for: 'a-to' }, 'To (UTC, exclusive)'), h('input', { id: 'a-to', name: 'to', type: 'datetime-local', value: inputFromInstant(to) })),
      h('div', {}, h('label', { for: 'a-bucket' }, 'Bucket'), h('select', { id: 'a-bucket', name: 'bucket' },
        h('option', { value: 'hour', selected: bucket === 'hour' }, 'hour'),
        h('option', { value: 'day', selected: bucket === 'day' }, 'day')))),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit' }, 'Show'),
      preset('Last 24 hours', 1, 'hour'), preset('Last 7 days', 7, 'day'), preset('Last 30 days', 30, 'day')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    go('/analytics', new URLSearchParams({
      from: instantFromInput(String(data.get('from'))), to: instantFromInput(String(data.get('to'))), bucket: String(data.get('bucket')),
    }));
  });

  const results = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading figures…'));
  render(h('div', { class: 'page-head' }, h('h1', {}, 'Analytics')), form, results);

  const all = slots(from, to, bucket);
  if (all.length > MAX_BUCKETS) {
    results.replaceChildren(errorBox({ message: `That range has more than ${MAX_BUCKETS} ${bucket} buckets; choose a shorter range or bucket by day.` }));
    return;
  }

  let stats;
  try {
    stats = await api.stats({ from, to, bucket });
  } catch (e) {
    if (isCurrent(generation)) results.replaceChildren(errorBox(e));
    return;
  }
  if (!isCurrent(generation)) return;

  const byStart = new Map(stats.map((b) => [key(b.bucketStart), b]));
  const label = (iso) => (bucket === 'hour' ? `${iso.slice(5, 10)} ${iso.slice(11, 13)}h` : iso.slice(5, 10));
  results.removeAttribute('aria-busy');
  results.replaceChildren(
    figures(stats),
    h('section', { class: 'panel', 'aria-labelledby': 'h-chart' },
      h('h2', { id: 'h-chart' }, `Outcomes per ${bucket} (UTC)`),
      stats.length === 0 ? h('p', { class: 'empty' }, 'No calls in this range.') : outcomeChart(all, byStart, label)),
    h('section', { class: 'panel', 'aria-labelledby': 'h-buckets' },
      h('h2', { id: 'h-buckets' }, `Per ${bucket}`),
      bucketTable(stats, bucket)));
}

function preset(text, days, bucket) {
  return h('button', {
    type: 'button', class: 'secondary', onclick: () => {
      const size = bucket === 'hour' ? HOUR : DAY;
      const end = Math.floor(Date.now() / size) * size + size;
      go('/analytics', new URLSearchParams({ from: new Date(end - days * DAY).toISOString(), to: new Date(end).toISOString(), bucket }));
    },
  }, text);
}

const sum = (stats, field) => stats.reduce((total, b) => total + (b[field] ?? 0), 0);

/** Range totals. ASR and the fallback rate are exact; ACD is the per-bucket ACD weighted by answered calls. PDD and
 * setup percentiles cannot be merged across buckets, so they are given for a one-bucket range and otherwise per
 * bucket in the table. */
function figures(stats) {
  const calls = sum(stats, 'calls');
  const answered = sum(stats, 'answered');
  const acdWeight = stats.filter((b) => b.acd !== null).reduce((t, b) => t + b.answered, 0);
  const acd = acdWeight > 0 ? stats.filter((b) => b.acd !== null).reduce((t, b) => t + b.acd * b.answered, 0) / acdWeight : null;
  const attempts = sum(stats, 'fallbackAttempts');
  const successes = sum(stats, 'fallbackSuccesses');
  const one = stats.length === 1 ? stats[0] : null;
  const rate = (field) => (calls > 0 ? percent(sum(stats, field) / calls) : '—');
  const card = (id, name, value, note) => h('div', { class: 'card', dataset: { figure: id } },
    h('dt', {}, name), h('dd', {}, value, note ? [' ', h('small', {}, note)] : null));
  const perBucket = 'per bucket below';
  return h('dl', { class: 'cards', id: 'figures' },
    card('calls', 'Calls', String(calls)),
    card('answered', 'Answered', String(answered)),
    card('asr', 'ASR', calls > 0 ? percent(answered / calls) : '—'),
    card('acd', 'ACD', seconds(acd)),
    card('pdd', 'PDD', one ? seconds(one.pdd) : stats.length === 0 ? '—' : '', one ? null : stats.length === 0 ? null : perBucket),
    card('setup-p50', 'Setup p50', one ? seconds(one.setupP50) : stats.length === 0 ? '—' : '', one ? null : stats.length === 0 ? null : perBucket),
    card('setup-p95', 'Setup p95', one ? seconds(one.setupP95) : stats.length === 0 ? '—' : '', one ? null : stats.length === 0 ? null : perBucket),
    card('busy', 'Busy', rate('busy')),
    card('refused', 'Refused', rate('refused')),
    card('no-answer', 'No answer', rate('noAnswer')),
    card('canceled', 'Canceled', rate('canceled')),
    card('fallback', 'Fallback answered / tried', `${successes} / ${attempts}`, attempts > 0 ? percent(successes / attempts) : null));
}

function bucketTable(stats, bucket) {
  if (stats.length === 0) return h('p', { class: 'muted' }, 'No calls in this range.');
  const head = ['Bucket (UTC)', 'Calls', 'Answered', 'Completed', 'Busy', 'Refused', 'No answer', 'Offline', 'Canceled', 'Failed',
    'ASR', 'ACD', 'PDD', 'Setup p50', 'Setup p95', 'Fallback'];
  const counts = ['calls', 'answered', 'completed', 'busy', 'refused', 'noAnswer', 'offline', 'canceled', 'failed'];
  return h('div', { class: 'table-wrap' }, h('table', { id: 'buckets' },
    h('thead', {}, h('tr', {}, head.map((text, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : null }, text)))),
    h('tbody', {}, stats.map((b) => h('tr', { dataset: { bucket: key(b.bucketStart) } },
      h('th', { scope: 'row' }, bucket === 'hour' ? time(b.bucketStart).slice(0, 16) : time(b.bucketStart).slice(0, 10)),
      counts.map((field) => h('td', { class: 'num' }, String(b[field]))),
      h('td', { class: 'num' }, percent(b.asr)),
      h('td', { class: 'num' }, seconds(b.acd)),
      h('td', { class: 'num' }, seconds(b.pdd)),
      h('td', { class: 'num' }, seconds(b.setupP50)),
      h('td', { class: 'num' }, seconds(b.setupP95)),
      h('td', { class: 'num' }, `${b.fallbackSuccesses} / ${b.fallbackAttempts}`))))));
}
