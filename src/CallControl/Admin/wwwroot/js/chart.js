// A stacked bar chart of call outcomes per bucket, drawn as plain SVG (no chart library).
import { h, s } from './dom.js';
import { statusLabel } from './format.js';

/** Bottom to top. "other" is calls still live in the bucket (ringing, fallback dialing, answered). */
export const SERIES = ['completed', 'busy', 'refused', 'no_answer', 'offline', 'canceled', 'failed', 'other'];

const COLOURS = {
  completed: '#2e7d4f', busy: '#d97706', refused: '#c2410c', no_answer: '#a16207', offline: '#64748b',
  canceled: '#94a3b8', failed: '#b42318', other: '#cbd5e1',
};

const FIELD = { no_answer: 'noAnswer' };

/** The count of one series in a stats bucket. */
export function countOf(bucket, series) {
  if (series !== 'other') return bucket[FIELD[series] ?? series] ?? 0;
  const ended = SERIES.filter((x) => x !== 'other').reduce((sum, x) => sum + countOf(bucket, x), 0);
  return Math.max(0, bucket.calls - ended);
}

const WIDTH = 960;
const HEIGHT = 300;
const M = { left: 48, right: 12, top: 14, bottom: 42 };

/** A round maximum for the y axis and its tick step. */
function scale(max) {
  if (max <= 0) return { top: 4, step: 1 };
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((x) => x >= raw && Number.isInteger(x)) ?? Math.ceil(raw);
  return { top: Math.ceil(max / step) * step, step };
}

/**
 * @param slots every bucket start in the range (ISO), gaps included
 * @param byStart stats buckets by their start (ISO)
 * @param label text for a bucket start on the x axis
 */
export function outcomeChart(slots, byStart, label) {
  const plotW = WIDTH - M.left - M.right;
  const plotH = HEIGHT - M.top - M.bottom;
  const totals = slots.map((start) => byStart.get(start)?.calls ?? 0);
  const { top, step } = scale(Math.max(0, ...totals));
  const y = (v) => M.top + plotH - (v / top) * plotH;
  const slot = plotW / Math.max(1, slots.length);
  const barW = Math.max(1, Math.min(48, slot * 0.75));

  const grid = [];
  for (let v = 0; v <= top; v += step) {
    grid.push(s('line', { class: v === 0 ? 'axis' : 'grid', x1: M.left, x2: WIDTH - M.right, y1: y(v), y2: y(v) }));
    grid.push(s('text', { x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
  }

  const every = Math.max(1, Math.ceil(slots.length / 12));
  const bars = [];
  const labels = [];
  slots.forEach((start, i) => {
    const x = M.left + i * slot + (slot - barW) / 2;
    const bucket = byStart.get(start);
    if (bucket) {
      let base = 0;
      for (const series of SERIES) {
        const n = countOf(bucket, series);
        if (n === 0) continue;
        bars.push(s('rect', {
          x: x.toFixed(1), y: y(base + n).toFixed(1), width: barW.toFixed(1), height: (y(base) - y(base + n)).toFixed(1),
          fill: COLOURS[series], dataset: { bucket: start, status: series, count: n },
        }, s('title', {}, `${label(start)}: ${statusLabel(series)} ${n}`)));
        base += n;
      }
    }
    if (i % every === 0) {
      labels.push(s('text', { x: (M.left + i * slot + slot / 2).toFixed(1), y: HEIGHT - M.bottom + 16, 'text-anchor': 'middle' }, label(start)));
    }
  });

  const total = totals.reduce((a, b) => a + b, 0);
  const svg = s('svg', {
    class: 'chart', id: 'outcome-chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img',
    'aria-label': `Call outcomes per bucket: ${total} calls in ${slots.length} buckets; the table below has the numbers.`,
  }, grid, bars, labels);

  const legend = h('ul', { class: 'legend', 'aria-hidden': 'true' }, SERIES.map((series) => {
    const swatch = h('span', { class: 'swatch' });
    swatch.style.background = COLOURS[series];
    return h('li', {}, swatch, series === 'other' ? 'in progress' : statusLabel(series));
  }));
  return [svg, legend];
}
