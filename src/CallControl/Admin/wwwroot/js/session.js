// The admin's bearer token lives in sessionStorage: it survives reloads of this tab and is gone when the tab closes.
const KEY = 'callcontrol.admin.token';

export const session = {
  get token() { return sessionStorage.getItem(KEY); },
  set token(value) {
    if (value) sessionStorage.setItem(KEY, value); else sessionStorage.removeItem(KEY);
  },
  signOut() { sessionStorage.removeItem(KEY); },

  /** The token's subject and role, read from its payload for display only (the service checks the signature). */
  get who() {
    const token = this.token;
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const json = JSON.parse(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '=')));
      return { subject: json.sub ?? '?', role: json.role ?? null };
    } catch {
      return { subject: '?', role: null };
    }
  },
};
