// Sign in / sign up screens, and the two links an admin hands out: an invitation
// (#invite=<code>: the sign-up form, the code sent along) and a password reset
// (#reset=<token>: choose a new password, then sign in). Sign up registers and then signs
// in, so the user lands in the app in one step. The sign-up form follows the server's
// registration mode: open, by invitation (asks for the code) or closed (not offered).

import * as api from '../api.js';

const els = {};
let onSignedIn = () => {};
let mode = 'open';
let inviteCode = null; // from an invitation link: sent along, never shown
let resetToken = null;

export function init(opts) {
  onSignedIn = opts.onSignedIn;
  for (const id of ['auth', 'login-form', 'signup-form', 'reset-form', 'login-username', 'login-password', 'login-error',
    'login-notice', 'signup-username', 'signup-display', 'signup-password', 'signup-error', 'signup-invite',
    'signup-invite-row', 'signup-mode', 'signup-switch', 'registration-closed', 'reset-password', 'reset-error',
    'show-signup', 'show-login', 'reset-cancel']) {
    els[id] = document.getElementById(id);
  }
  els['show-signup'].addEventListener('click', () => showForm('signup'));
  els['show-login'].addEventListener('click', () => showForm('login'));
  els['reset-cancel'].addEventListener('click', () => { resetToken = null; showForm('login'); });
  els['login-form'].addEventListener('submit', onLogin);
  els['signup-form'].addEventListener('submit', onSignup);
  els['reset-form'].addEventListener('submit', onReset);
  takeLink();
  window.addEventListener('hashchange', () => {
    if (!linkInAddress()) return;
    // Opened in a tab that shows the sign-in: its form at once. In a signed-in tab: load the
    // page again, which opens on the link's form as any fresh tab would.
    if (els.auth.hidden) location.reload();
    else if (takeLink()) show();
  });
}

/** The address holds an invitation or a password-reset link. */
export const linkInAddress = () => /^#(invite|reset)=[^&]+$/.test(location.hash);

/**
 * Reads an invitation or reset link off the address (and takes it off, so it is neither
 * bookmarked nor sent anywhere). True when there was one: the page opens on its form.
 */
export function takeLink() {
  const m = /^#(invite|reset)=([^&]+)$/.exec(location.hash);
  if (!m) return false;
  history.replaceState(null, '', location.pathname + location.search);
  const value = decodeURIComponent(m[2]);
  if (m[1] === 'invite') inviteCode = value; else resetToken = value;
  return true;
}

/** An invitation or reset link is waiting: boot shows its form rather than a stored session. */
export const hasLink = () => !!(inviteCode || resetToken);

export function show(message) {
  els.auth.hidden = false;
  els['login-password'].value = '';
  showForm(resetToken ? 'reset' : inviteCode ? 'signup' : 'login');
  setError('login', message || '');
  loadMode();
}

export function hide() { els.auth.hidden = true; }

/** Asks the server who may register, and shapes the forms to it. */
async function loadMode() {
  try {
    mode = await api.registrationMode();
  } catch {
    mode = 'open'; // unreachable: offer sign-up; the server answers when it is back
  }
  applyMode();
}

function applyMode() {
  const closed = mode === 'closed' && !inviteCode;
  els['signup-switch'].hidden = closed;
  els['registration-closed'].hidden = !closed;
  const askCode = mode === 'invite' && !inviteCode;
  els['signup-invite-row'].hidden = !askCode;
  els['signup-invite'].required = askCode;
  const notice = inviteCode ? 'You have been invited: choose a username and a password.'
    : askCode ? 'This server takes new accounts by invitation only.' : '';
  els['signup-mode'].textContent = notice;
  els['signup-mode'].hidden = !notice;
  if (closed && !els['signup-form'].hidden) showForm('login');
}

function showForm(which) {
  els['login-form'].hidden = which !== 'login';
  els['signup-form'].hidden = which !== 'signup';
  els['reset-form'].hidden = which !== 'reset';
  setError('login', '');
  setError('signup', '');
  setError('reset', '');
  if (which !== 'login') els['login-notice'].textContent = '';
  els[`${which}-${which === 'reset' ? 'password' : 'username'}`].focus();
}

function setError(form, text, field) {
  els[`${form}-error`].textContent = text;
  for (const name of ['username', 'password', 'display', 'invite']) {
    const input = els[`${form}-${name}`];
    if (!input) continue;
    const bad = !!field && (name === field || (name === 'display' && field === 'displayName')
      || (name === 'invite' && field === 'inviteCode'));
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
      els['login-notice'].textContent = '';
      onSignedIn(user);
    } catch (err) {
      // 403: the right password, but the account is disabled; the server says so in words.
      setError('login', err.status === 401 ? 'Wrong username or password.' : messageOf(err));
    }
  });
}

/** The code of a pasted invitation link, or the code itself. */
function typedCode() {
  const typed = els['signup-invite'].value.trim();
  const m = /#invite=([^&\s]+)/.exec(typed);
  return m ? decodeURIComponent(m[1]) : typed;
}

function onSignup(e) {
  e.preventDefault();
  const username = els['signup-username'].value.trim().toLowerCase();
  const password = els['signup-password'].value;
  const displayName = els['signup-display'].value.trim();
  const code = inviteCode || (mode === 'invite' ? typedCode() : null);
  // Same rules as the server, checked first so the common mistakes need no round trip.
  if (!/^[a-z0-9_.-]{3,32}$/.test(username)) {
    return setError('signup', 'Username: 3–32 characters, letters, digits, "_", "." or "-".', 'username');
  }
  if (password.length < 8) return setError('signup', 'Password: at least 8 characters.', 'password');
  if (mode === 'invite' && !code) return setError('signup', 'Enter the code of your invitation.', 'invite');
  return busy(els['signup-form'], async () => {
    try {
      await api.register(username, password, displayName, code);
      const user = await api.login(username, password);
      els['signup-password'].value = '';
      inviteCode = null;
      onSignedIn(user);
    } catch (err) {
      setError('signup', signupMessage(err, code), err.field || (err.status === 403 && code ? 'inviteCode' : undefined));
      if (err.status === 403) loadMode(); // the mode may have changed since the form was drawn
    }
  });
}

function signupMessage(err, code) {
  if (err.status === 409) return 'That username is taken.';
  if (err.status === 403 && code && /invitation/i.test(err.message || '')) {
    return 'This invitation is not valid any more (used up, expired or revoked). Ask for a new one.';
  }
  return messageOf(err);
}

function onReset(e) {
  e.preventDefault();
  const password = els['reset-password'].value;
  if (password.length < 8) return setError('reset', 'Password: at least 8 characters.', 'password');
  if (password.length > 256) return setError('reset', 'Password: at most 256 characters.', 'password');
  return busy(els['reset-form'], async () => {
    try {
      await api.resetPassword(resetToken, password);
      els['reset-password'].value = '';
      resetToken = null;
      showForm('login');
      els['login-notice'].textContent = 'Your new password is set. Sign in with it.';
    } catch (err) {
      setError('reset', err.field === 'token' || (err.status === 400 && !err.field)
        ? 'This link is not valid any more. Ask an administrator for a new one.' : messageOf(err),
      err.field === 'newPassword' ? 'password' : undefined);
    }
  });
}

function messageOf(err) {
  if (err.status === 0) return 'Cannot reach the server. Check your connection.';
  if (err.status === 429) return 'Too many attempts. Wait a moment and try again.';
  return sentence(err.message || 'Something went wrong.');
}

/** "this account is disabled; ask an administrator" → "This account is disabled; ask an administrator." */
function sentence(text) {
  const s = String(text).trim();
  const first = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
