// Calls: the filters (in the URL), a page of calls, keyset paging, CSV download of everything the filters match.
import { api } from '../api.js';
import { errorBox, h, render } from '../dom.js';
import { chip, duration, fallbackUsed, time } from '../format.js';
import { DEFAULT_LIMIT, filterForm, filterParams, readForm } from '../filters.js';
import { go, href, isCurrent } from '../router.js';
import { saveCsv } from '../csv.js';

/** Where "Back to calls" on a call's page returns to. */
export const LAST_LIST = 'callcontrol.admin.lastList';

// Keyset paging: "cursor" is the page's cursor, "back" the cursors of the pages before it ('.'-separated; cursors
// are base64url, which has no '.'), so Previous works from a reloaded or shared URL too.
function paging(params) {
  const back = (params.get('back') ?? '').split('.').filter(Boolean);
  const cursor = params.get('cursor');
  return { cursor, back, page: 1 + (cursor ? 1 : 0) + back.length };
}

function withPaging(params, cursor, back) {
  const next = new URLSearchParams(params);
  next.delete('cursor');
  next.delete('back');
  if (cursor) next.set('cursor', cursor);
  if (back.length > 0) next.set('back', back.join('.'));
  return next;
}

export async function showCalls(params, generation) {
  sessionStorage.setItem(LAST_LIST, location.hash);
  const filters = filterParams(params);
  const { cursor, back, page } = paging(params);

  const form = h('form', { class: 'panel', 'aria-label': 'Filters', novalidate: true },
    filterForm(params),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit' }, 'Apply filters'),
      h('button', { type: 'button', class: 'secondary', onclick: () => go('/calls') }, 'Clear'),
      h('span', { class: 'hint muted' }, 'Times are UTC. The filters are part of the URL: bookmark or share it.')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go('/calls', readForm(form));
  });

  const csvStatus = h('span', { class: 'muted', 'aria-live': 'polite', id: 'csv-status' });
  const csvButton = h('button', { type: 'button', class: 'secondary', id: 'csv' }, 'Download CSV');
  csvButton.addEventListener('click', () => saveCsv(filters, csvButton, csvStatus));

  const results = h('section', { 'aria-label': 'Calls', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading calls…'));
  render(
    h('div', { class: 'page-head' }, h('h1', {}, 'Calls'), h('div', { class: 'actions' }, csvStatus, csvButton)),
    form,
    h('div', { class: 'panel', id: 'calls-panel' }, results));

  let data;
  try {
    data = await api.calls({ ...filters, limit: params.get('limit') ?? DEFAULT_LIMIT, cursor });
  } catch (e) {
    if (isCurrent(generation)) {
      results.replaceChildren(errorBox(e));
      results.removeAttribute('aria-busy');
    }
    return;
  }
  if (!isCurrent(generation)) return;

  const base = new URLSearchParams(params);
  const previous = cursor
    ? withPaging(base, back.at(-1) ?? null, back.slice(0, -1))
    : null;
  const next = data.nextCursor ? withPaging(base, data.nextCursor, cursor ? [...back, cursor] : []) : null;

  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', class: 'secondary', id: 'prev', disabled: !previous, onclick: () => go('/calls', previous) }, '← Previous'),
    h('span', { id: 'page-number' }, `Page ${page}`),
    h('button', { type: 'button', class: 'secondary', id: 'next', disabled: !next, onclick: () => go('/calls', next) }, 'Next →'),
    h('span', { class: 'muted' }, `${data.items.length} call${data.items.length === 1 ? '' : 's'} on this page`));

  results.replaceChildren(data.items.length === 0
    ? h('p', { class: 'empty' }, 'No calls match these filters.')
    : callsTable(data.items), pager);
  results.removeAttribute('aria-busy');
}

function callsTable(items) {
  const head = ['Start (UTC)', 'Caller', 'Callee / number', 'Status', 'Answered via', 'Fallback', 'Duration', 'Hangup cause', 'Node'];
  return h('div', { class: 'table-wrap' }, h('table', { id: 'calls' },
    h('thead', {}, h('tr', {}, head.map((text, i) => h('th', { scope: 'col', class: i === 6 ? 'num' : null }, text)))),
    h('tbody', {}, items.map(row))));
}

function row(call) {
  const link = href(`/calls/${call.id}`);
  const callee = [call.callee, call.calleeNumber].filter(Boolean).join(' · ');
  const tr = h('tr', { class: 'clickable', dataset: { id: call.id, status: call.status } },
    h('td', {}, h('a', { href: link }, time(call.createdAt))),
    h('td', {}, call.caller),
    h('td', {}, callee || h('span', { class: 'muted' }, '—')),
    h('td', {}, chip(call.status)),
    h('td', {}, call.answeredVia === 'pstn' ? 'phone' : call.answeredVia ?? ''),
    h('td', {}, fallbackUsed(call) ? `yes (${call.fallbackReason})` : ''),
    h('td', { class: 'num' }, duration(call.duration)),
    h('td', { class: 'mono' }, call.hangupCause ?? ''),
    h('td', {}, call.freeswitchNode ?? ''));
  tr.addEventListener('click', (event) => {
    if (event.target.closest('a')) return;
    location.hash = link;
  });
  return tr;
}
