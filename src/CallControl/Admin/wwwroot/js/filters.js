// The calls filters: one definition per API parameter of /api/admin/calls, shared by the form, the URL and the
// requests (list and CSV). The URL fragment uses the API's own parameter names.
import { h } from './dom.js';
import { STATUSES, inputFromInstant, instantFromInput, statusLabel } from './format.js';

export const FILTERS = [
  { name: 'from', label: 'From (UTC)', type: 'datetime-local', instant: true },
  { name: 'to', label: 'To (UTC, exclusive)', type: 'datetime-local', instant: true },
  { name: 'caller', label: 'Caller', placeholder: 'user id' },
  { name: 'callee', label: 'Callee', placeholder: 'user id' },
  { name: 'calleeNumber', label: 'Callee number prefix', placeholder: '+1555', pattern: '\\+?[0-9]{1,15}', title: "'+' and up to 15 digits" },
  { name: 'answeredVia', label: 'Answered via', options: [['', 'any'], ['app', 'app'], ['pstn', 'phone (PSTN)']] },
  { name: 'fallback', label: 'Fallback used', options: [['', 'any'], ['true', 'yes'], ['false', 'no']] },
  { name: 'room', label: 'Room', placeholder: 'room id' },
  { name: 'node', label: 'FreeSWITCH node', placeholder: 'fs1' },
  { name: 'hangupCause', label: 'Hangup cause', placeholder: 'NORMAL_CLEARING' },
  { name: 'minDuration', label: 'Min duration (s)', type: 'number', min: '0', step: '1' },
  { name: 'sort', label: 'Order', options: [['', 'newest first'], ['asc', 'oldest first']] },
];

export const PAGE_SIZES = ['25', '50', '100', '200'];
export const DEFAULT_LIMIT = '50';

/** The filter parameters in the URL (without paging), as the API takes them. */
export function filterParams(params) {
  const out = {};
  for (const f of FILTERS) {
    const value = params.get(f.name);
    if (value) out[f.name] = value;
  }
  const status = params.get('status');
  if (status) out.status = status;
  return out;
}

/** The form for the filters in <paramref>params</paramref>. */
export function filterForm(params) {
  const fields = FILTERS.map((f) => {
    const id = `f-${f.name}`;
    const value = params.get(f.name) ?? '';
    let control;
    if (f.options) {
      control = h('select', { id, name: f.name },
        f.options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
    } else {
      control = h('input', {
        id, name: f.name, type: f.type ?? 'text', placeholder: f.placeholder, pattern: f.pattern, title: f.title,
        min: f.min, step: f.step, value: f.instant ? inputFromInstant(value) : value, autocomplete: 'off',
      });
    }
    return h('div', {}, h('label', { for: id }, f.label), control);
  });

  const limit = params.get('limit') ?? DEFAULT_LIMIT;
  fields.push(h('div', {}, h('label', { for: 'f-limit' }, 'Rows per page'),
    h('select', { id: 'f-limit', name: 'limit' }, PAGE_SIZES.map((n) => h('option', { value: n, selected: n === limit }, n)))));

  const chosen = new Set((params.get('status') ?? '').split(',').filter(Boolean));
  const statuses = h('fieldset', { class: 'statuses' }, h('legend', {}, 'Status'),
    STATUSES.map((status) => h('label', {},
      h('input', { type: 'checkbox', name: 'status', value: status, checked: chosen.has(status) }),
      statusLabel(status))));

  return h('div', { class: 'filters' }, statuses, fields);
}

/** The URL parameters the form describes (paging starts over: a cursor belongs to its filters). */
export function readForm(form) {
  const data = new FormData(form);
  const params = new URLSearchParams();
  const statuses = data.getAll('status');
  if (statuses.length > 0) params.set('status', statuses.join(','));
  for (const f of FILTERS) {
    const raw = String(data.get(f.name) ?? '').trim();
    const value = f.instant ? instantFromInput(raw) : raw;
    if (value) params.set(f.name, value);
  }
  const limit = String(data.get('limit') ?? DEFAULT_LIMIT);
  if (limit !== DEFAULT_LIMIT) params.set('limit', limit);
  return params;
}
