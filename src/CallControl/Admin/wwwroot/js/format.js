// Formatting shared by the pages. All times are shown in UTC, the zone the stats buckets are cut in.
import { h } from './dom.js';

export const STATUSES = ['ringing', 'fallback-dialing', 'answered', 'completed', 'busy', 'refused', 'no_answer', 'offline', 'canceled', 'failed'];

const LABELS = { 'fallback-dialing': 'fallback dialing', no_answer: 'no answer' };
export const statusLabel = (status) => LABELS[status] ?? status;

export function chip(status) {
  return status ? h('span', { class: `chip ${status}` }, statusLabel(status)) : '';
}

/** "2026-05-01 12:00:03" (UTC) from an ISO instant. */
export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

/** An ISO instant from a datetime-local value read as UTC ("2026-05-01T12:00" -> "2026-05-01T12:00:00Z"). */
export function instantFromInput(value) {
  if (!value) return '';
  return `${value.length === 16 ? `${value}:00` : value}Z`;
}

/** The datetime-local value (UTC) for an ISO instant. */
export function inputFromInstant(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 16);
}

/** "1:02:03", "2:05" or "42 s" from seconds. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** Seconds with one decimal ("1.3 s"), or an em dash for none. */
export function seconds(value) {
  return value === null || value === undefined ? '—' : `${value.toFixed(1)} s`;
}

export function percent(value) {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : `${(value * 100).toFixed(1)} %`;
}

/** Fallback used, as the API defines it: a carrier leg dialed for a reason. */
export function fallbackUsed(call) {
  return Boolean(call.pstnDialedAt && call.fallbackReason);
}
