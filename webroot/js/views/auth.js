// Sign in / sign up screens. Sign up registers and then signs in, so the
// user lands in the app in one step.

import * as api from '../api.js';

const els = {};
let onSignedIn = () => {};

export function init(opts) {
  onSignedIn = opts.onSignedIn;
  for (const id of ['auth', 'login-form', 'signup-form', 'login-username', 'login-password', 'login-error',
    'signup-username', 'signup-display', 'signup-password', 'signup-error', 'show-signup', 'show-login']) {
    els[id] = document.getElementById(id);
  }
  els['show-signup'].addEventListener('click', () => showForm('signup'));
  els['show-login'].addEventListener('click', () => showForm('login'));
  els['login-form'].addEventListener('submit', onLogin);
  els['signup-form'].addEventListener('submit', onSignup);
}

export function show(message) {
  els.auth.hidden = false;
  showForm('login');
  els['login-password'].value = '';
  setError('login', message || '');
}

export function hide() { els.auth.hidden = true; }

function showForm(which) {
  els['login-form'].hidden = which !== 'login';
  els['signup-form'].hidden = which !== 'signup';
  setError('login', '');
  setError('signup', '');
  els[`${which}-username`].focus();
}

function setError(form, text, field) {
  els[`${form}-error`].textContent = text;
  for (const name of ['username', 'password', 'display']) {
    const input = els[`${form}-${name}`];
    if (!input) continue;
    const bad = !!field && (name === field || (name === 'display' && field === 'displayName'));
    if (bad) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    if (bad) input.focus();
  }
}

async function busy(form, fn) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try { await fn(); } finally { button.disabled = false; }
}

function onLogin(e) {
  e.preventDefault();
  busy(els['login-form'], async () => {
    try {
      const user = await api.login(els['login-username'].value.trim(), els['login-password'].value);
      els['login-password'].value = '';
      onSignedIn(user);
    } catch (err) {
      setError('login', err.status === 401 ? 'Wrong username or password.' : messageOf(err));
    }
  });
}

function onSignup(e) {
  e.preventDefault();
  const username = els['signup-username'].value.trim().toLowerCase();
  const password = els['signup-password'].value;
  const displayName = els['signup-display'].value.trim();
  // Same rules as the server, checked first so the common mistakes need no round trip.
  if (!/^[a-z0-9_.-]{3,32}$/.test(username)) {
    return setError('signup', 'Username: 3–32 characters, letters, digits, "_", "." or "-".', 'username');
  }
  if (password.length < 8) return setError('signup', 'Password: at least 8 characters.', 'password');
  return busy(els['signup-form'], async () => {
    try {
      await api.register(username, password, displayName);
      const user = await api.login(username, password);
      els['signup-password'].value = '';
      onSignedIn(user);
    } catch (err) {
      setError('signup', err.status === 409 ? 'That username is taken.' : messageOf(err), err.field);
    }
  });
}

function messageOf(err) {
  if (err.status === 0) return 'Cannot reach the server. Check your connection.';
  if (err.status === 429) return 'Too many attempts. Wait a moment and try again.';
  return err.message || 'Something went wrong.';
}
