// The console's entry point: the header (navigation, who is signed in, sign out) and the routes. Without a token
// every route shows the sign-in page.
import { whenUnauthorized } from './api.js';
import { go, start } from './router.js';
import { session } from './session.js';
import { showSignIn } from './pages/signin.js';
import { showCalls } from './pages/calls.js';
import { showCall } from './pages/detail.js';
import { showAnalytics } from './pages/analytics.js';

function chrome(page, title) {
  document.title = `${title} · CallControl admin`;
  const signedIn = Boolean(session.token);
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('who').hidden = !signedIn;
  if (signedIn) {
    const { subject, role } = session.who;
    document.getElementById('who-name').textContent = `Signed in as ${subject}${role ? ` (${role})` : ''}`;
  }
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === page) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
}

function draw({ path, params }, generation) {
  if (!session.token || path === '/signin') {
    chrome('signin', 'Sign in');
    showSignIn(params);
    return;
  }

  const detail = /^\/calls\/([0-9a-fA-F-]{36})$/.exec(path);
  if (detail) {
    chrome('calls', 'Call');
    showCall(detail[1], generation);
  } else if (path === '/analytics') {
    chrome('analytics', 'Analytics');
    showAnalytics(params, generation);
  } else {
    chrome('calls', 'Calls');
    showCalls(params, generation);
  }
}

whenUnauthorized(() => {
  session.signOut();
  go('/signin', new URLSearchParams({ expired: '1' }));
});

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  go('/signin', new URLSearchParams({ out: '1' }));
});

start(draw);
