// The admin page's entry point: it signs in with the client's stored session (the same
// refresh token, rotated under the same lock as the chat's tabs), lets only admins in, and
// shows one section at a time, named by the address's hash (#users, #server, …), so the
// browser's back button and a bookmark both work.

import * as api from '../api.js';
import { clear } from '../dom.js';
import * as users from './users.js';
import * as registration from './registration.js';
import * as conversations from './conversations.js';
import * as bots from './bots.js';
import * as shares from './shares.js';
import * as server from './server.js';
import * as audit from './audit.js';

const SECTIONS = { users, registration, conversations, bots, shares, server, audit };
const gate = document.getElementById('admin-gate');
const shell = document.getElementById('admin-shell');
let current = null;

async function boot() {
  if (!api.hasRefreshToken()) { refuse('You are not signed in.', true); return; }
  let me;
  try {
    me = await api.resume();
  } catch (e) {
    refuse(e.status === 0 ? 'Cannot reach the server. Reload to try again.' : 'Your session has ended.', e.status !== 0);
    return;
  }
  if (!me.admin) { refuse('This page is for the server’s administrators.', false); return; }
  document.getElementById('admin-me').textContent = me.displayName || me.username;
  gate.hidden = true;
  shell.hidden = false;
  users.init(me);
  for (const section of [registration, conversations, bots, shares, server, audit]) section.init();
  route();
}

/** The page cannot be used: say why, and offer the way back to the chat (and its sign-in). */
function refuse(text, signIn) {
  shell.hidden = true;
  gate.hidden = false;
  document.getElementById('admin-gate-text').textContent = text;
  const link = document.getElementById('admin-gate-link');
  link.textContent = signIn ? 'Go to the chat to sign in' : 'Back to the chat';
  link.hidden = false;
  if (current) { SECTIONS[current].hide?.(); current = null; }
}

function route() {
  if (shell.hidden) return;
  const name = location.hash.slice(1);
  const next = Object.hasOwn(SECTIONS, name) ? name : 'users';
  if (current && current !== next) SECTIONS[current].hide?.();
  for (const key of Object.keys(SECTIONS)) document.getElementById(`section-${key}`).hidden = key !== next;
  for (const tab of document.querySelectorAll('[data-testid="admin-tab"]')) {
    if (tab.dataset.section === next) tab.setAttribute('aria-current', 'page'); else tab.removeAttribute('aria-current');
  }
  const changed = current !== next;
  current = next;
  SECTIONS[next].show();
  if (changed) document.getElementById(`${next}-heading`).focus({ preventScroll: true });
}

window.addEventListener('hashchange', route);
// Signed out in another tab, or the session ended (disabled, say): nothing here works any more.
api.on('signedOut', () => {
  clear(document.getElementById('admin-me'));
  refuse('You have been signed out.', true);
});

boot();
