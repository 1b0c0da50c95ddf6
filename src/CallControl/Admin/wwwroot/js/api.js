// Every call to the service goes through here, with the admin's bearer token.
import { session } from './session.js';

/** An HTTP failure: status, a sentence for the page, and for a 400 the parameters the service named. */
export class ApiError extends Error {
  constructor(status, message, fields) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.fields = fields ?? null;
  }
}

/** Called on a 401 from any page: the token expired or was revoked, so the console goes back to sign-in. */
let onUnauthorized = () => {};
export function whenUnauthorized(handler) { onUnauthorized = handler; }

async function request(path, { token = session.token, accept = 'application/json', signal } = {}) {
  const headers = { Accept: accept };
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { headers, signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The service could not be reached. Is it running?');
  }
  if (response.ok) return response;
  throw await failure(response);
}

async function failure(response) {
  const { status } = response;
  // Read the body whatever the status: an unread error body is cancelled, which the browser logs as a failed request.
  const body = await response.text().catch(() => '');
  if (status === 401) return new ApiError(401, 'The token was refused (401 Unauthorized): it is not a valid token for this service, or it has expired.');
  if (status === 403) return new ApiError(403, 'This token is valid but does not carry the admin role (403 Forbidden).');
  if (status === 404) return new ApiError(404, 'Not found (404).');
  let problem = null;
  try { problem = JSON.parse(body); } catch { /* not Problem Details */ }
  if (status === 400 && problem) {
    return new ApiError(400, problem.title ?? 'The request was refused (400).', problem.errors);
  }
  return new ApiError(status, problem?.title ?? `The service answered ${status} ${response.statusText}.`);
}

async function json(path, options) {
  try {
    const response = await request(path, options);
    return await response.json();
  } catch (e) {
    if (e.status === 401 && !options?.token) onUnauthorized(e);
    throw e;
  }
}

/** Query string from a plain object; empty values are left out, arrays repeat the parameter. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of [].concat(value)) q.append(name, v);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

export const api = {
  /** Checks a token before keeping it: one row of the calls list needs the admin role. */
  check: (token) => json('/api/admin/calls?limit=1', { token }),
  calls: (params, signal) => json(`/api/admin/calls${query(params)}`, { signal }),
  call: (id, signal) => json(`/api/admin/calls/${encodeURIComponent(id)}`, { signal }),
  stats: (params, signal) => json(`/api/admin/stats${query(params)}`, { signal }),
  /** The CSV as a Blob (the service streams it; the browser collects it before saving). */
  async csv(params) {
    const response = await request(`/api/admin/calls.csv${query(params)}`, { accept: 'text/csv' });
    return response.blob();
  },
  /** The archived recording (Ogg/Opus) as a Blob; a 404 or 409 means it is not archived (yet). */
  async recording(id, signal) {
    const response = await request(`/api/recordings/${encodeURIComponent(id)}`, { accept: 'audio/ogg', signal });
    return response.blob();
  },
};
