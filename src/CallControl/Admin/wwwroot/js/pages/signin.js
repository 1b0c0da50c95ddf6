// Sign in: paste an admin bearer token (`./callcontrol token --user alice --role admin`). The token is checked
// against the admin API before it is kept.
import { api } from '../api.js';
import { errorBox, h, render } from '../dom.js';
import { session } from '../session.js';
import { go } from '../router.js';

export function showSignIn(params) {
  const token = h('textarea', {
    id: 'token', name: 'token', required: true, spellcheck: 'false', autocomplete: 'off',
    'aria-describedby': 'token-help', placeholder: 'eyJhbGciOiJIUzI1NiIs…',
  });
  const message = h('div', { id: 'signin-message', 'aria-live': 'polite' });
  if (params.get('expired')) message.append(errorBox({ message: 'Your token was refused or has expired. Sign in again.' }));
  if (params.get('out')) message.append(h('div', { class: 'notice' }, 'Signed out. The token was removed from this tab.'));
  const submit = h('button', { type: 'submit' }, 'Sign in');

  const form = h('form', { class: 'panel signin', novalidate: true },
    h('h1', {}, 'Sign in'),
    h('p', { class: 'muted', id: 'token-help' },
      'Paste an admin bearer token. It is kept in this tab only (sessionStorage) and sent with every request. ',
      'Mint one with ', h('code', {}, './callcontrol token --user <id> --role admin'), '.'),
    h('label', { for: 'token' }, 'Admin token'),
    token,
    message,
    h('div', { class: 'form-actions' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = token.value.trim().replace(/^Bearer\s+/i, '');
    message.replaceChildren();
    if (!value) {
      message.append(errorBox({ message: 'Paste a token first.' }));
      token.focus();
      return;
    }
    submit.disabled = true;
    try {
      await api.check(value);
      session.token = value;
      go('/calls');
    } catch (e) {
      message.append(errorBox(e));
      token.focus();
    } finally {
      submit.disabled = false;
    }
  });

  render(form);
  token.focus();
}
