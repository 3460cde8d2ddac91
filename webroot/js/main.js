// Entry point: session start/stop, hash routing (#/c/<id>), the one-pane /
// two-pane layout, the connection banner, wiring between the views, and the
// service worker that makes the client installable and open offline.

import * as api from './api.js';
import * as store from './store.js';
import * as sync from './sync.js';
import { h, clear, avatar, toast } from './dom.js';
import * as auth from './views/auth.js';
import * as list from './views/list.js';
import * as chat from './views/chat.js';
import * as dialogShell from './views/dialog-shell.js';
import * as dialogs from './views/dialogs.js';
import { openMembers } from './views/members.js';
import { openShare } from './views/share.js';
import { openExport } from './views/export.js';
import * as media from './media.js';
import * as notify from './notify.js';
import * as outbox from './outbox.js';
import * as snapshot from './snapshot.js';

const { state } = store;
const appEl = document.getElementById('app');
const banner = document.getElementById('connection-banner');
const wide = window.matchMedia('(min-width: 768px)');
let signedIn = false;
let showingSnapshot = false; // the app shows the last state this browser saw, not yet the server's
let pendingJump = null;

// ---- session -----------------------------------------------------------------------

async function boot() {
  // An invitation or a password-reset link opens its form, whoever was signed in here before.
  if (auth.hasLink()) { auth.show(); return; }
  if (!api.hasRefreshToken()) { snapshot.forget(); auth.show(); return; }
  for (let attempt = 0; ; attempt++) {
    try {
      await enterApp(await api.resume());
      return;
    } catch (e) {
      if (e.status !== 0) { endSession(); return; }
      // Server unreachable: keep the stored session, show what we had, and try again shortly.
      if (!signedIn) showSnapshot();
      showBanner(showingSnapshot ? 'Connecting…' : 'Cannot reach the server. Retrying…');
      await pause(Math.min(30000, 1000 * 2 ** attempt));
      // Signed out from the snapshot meanwhile, or signed in again by hand: nothing left to resume.
      if (!api.hasRefreshToken() || (signedIn && !showingSnapshot)) return;
    }
  }
}

/** The stored session is no good any more (signed out elsewhere, say): back to the sign-in. */
function endSession() {
  if (signedIn) { signOut('Your session has ended. Please sign in again.'); return; }
  notify.forgetDevice();
  snapshot.forget();
  auth.show();
}

/** Waits ms, or less if the browser says the network is back. */
function pause(ms) {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); window.removeEventListener('online', done); resolve(); };
    const timer = setTimeout(done, ms);
    window.addEventListener('online', done);
  });
}

/** Offline at boot: the app with the last state this browser saw, until the server answers. */
function showSnapshot() {
  if (!snapshot.restore()) return;
  showingSnapshot = true;
  signedIn = true;
  auth.hide();
  appEl.hidden = false;
  snapshot.keep();
  route();
}

async function enterApp(user) {
  const fromSnapshot = showingSnapshot;
  showingSnapshot = false;
  // The snapshot was someone else's (a session that ended without this tab): none of it stays.
  if (fromSnapshot && state.me?.id !== user.id) store.reset();
  signedIn = true;
  auth.hide();
  appEl.hidden = false;
  renderMe(user);
  snapshot.keep();
  try {
    await sync.startSession(user, {
      onSignedOut: () => signOut('Your session has ended. Please sign in again.'),
      onOpenConversation: (id) => openConversation(id),
    });
    if (fromSnapshot) {
      // What the snapshot showed may be old: the server's messages replace it, and
      // what was written meanwhile goes out now.
      await sync.reloadHistory();
      outbox.retryStalled();
    }
  } catch (e) {
    if (e.status === 401) return; // api already signalled signedOut
    toast(e.message || 'Could not load your conversations', 'error');
  }
  notify.init();
  route();
}

function signOut(message) {
  if (!signedIn) return;
  signedIn = false;
  notify.forgetDevice();
  showingSnapshot = false;
  snapshot.forget();
  sync.stopSession();
  notify.reset();
  dialogShell.closeDialog();
  chat.hide();
  chat.forgetDrafts();
  media.forgetAll();
  appEl.hidden = true;
  hideBanner();
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  auth.show(message);
}

api.on('signedOut', () => signOut('Your session has ended. Please sign in again.'));
store.on('me', renderMe);

function renderMe(user) {
  const el = clear(document.getElementById('me'));
  if (user) el.append(avatar(user), h('span', { class: 'me-name', testid: 'me-name' }, user.displayName || user.username));
  // The admin page's door, for the server's admins only (the page and the API check again).
  document.getElementById('btn-admin').hidden = !user?.admin;
}

// ---- routing and layout ------------------------------------------------------------------

function routeId() {
  const m = /^#\/c\/(.+)$/.exec(location.hash);
  return m ? decodeURIComponent(m[1]) : null;
}

export function openConversation(id, jump) {
  pendingJump = jump || null;
  const target = `#/c/${encodeURIComponent(id)}`;
  cameFromList = !routeId();
  if (location.hash === target) route(); else location.hash = target;
}

async function route() {
  if (!signedIn || auth.linkInAddress()) return; // an invitation or reset link: auth.js takes it
  const id = routeId();
  if (id && state.conversations.has(id)) {
    state.openId = id;
    appEl.classList.add('show-chat');
    updateChatShown();
    list.render();
    await chat.show(id);
    if (pendingJump && chat.openId() === id) {
      const { messageId, seq } = pendingJump;
      pendingJump = null;
      await chat.jumpToMessage(messageId, seq);
    }
  } else {
    if (id) history.replaceState(null, '', location.pathname + location.search);
    state.openId = null;
    appEl.classList.remove('show-chat');
    updateChatShown();
    chat.hide();
    list.render();
  }
}

/** On a phone the chat pane is only "shown" when it replaced the list; read marks depend on it. */
function updateChatShown() {
  state.chatShown = !!state.openId && (wide.matches || appEl.classList.contains('show-chat'));
  if (state.chatShown) sync.markReadSoon();
}

window.addEventListener('hashchange', route);
wide.addEventListener('change', updateChatShown);

let cameFromList = false;
function back() {
  // Pop the history entry when the list is right behind it, so the phone's
  // own back gesture and this button agree; otherwise go to the list.
  if (cameFromList) { cameFromList = false; history.back(); } else location.hash = '#/';
}

// ---- banner ---------------------------------------------------------------------------

let bannerTimer = 0;
store.on('connection', (s) => {
  clearTimeout(bannerTimer);
  if (s === 'reconnecting') {
    // A blip shorter than a moment is not worth a flashing banner.
    bannerTimer = setTimeout(() => showBanner('Reconnecting…'), 700);
  } else hideBanner();
});

function showBanner(text) {
  banner.textContent = text;
  banner.hidden = false;
}
function hideBanner() { banner.hidden = true; }

// ---- service worker -------------------------------------------------------------------

/**
 * Relative, so under a proxy sub-path (/chat/) the worker's scope is that folder. It keeps the
 * app shell for offline loads (see sw.js); without one (no secure context) the app still works.
 */
function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('./sw.js').catch((e) => console.warn('service worker not registered', e));
  // A click on a pushed notification while this window is open: go to its conversation.
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'open-conversation' && signedIn) openConversation(event.data.conversationId);
  });
}

// ---- wiring -----------------------------------------------------------------------------

auth.init({ onSignedIn: (user) => enterApp(user) });
dialogShell.init();
list.init({ onOpen: (id) => openConversation(id) });
chat.init({
  onBack: back,
  onMembers: (id) => openMembers(id, { onLeft: () => { location.hash = '#/'; toast('You left the group'); } }),
  onSearch: (id) => dialogs.openSearch({ conversationId: id, onResult: jumpToResult }),
  onShare: (id, options) => openShare(id, options),
  onExport: (id) => openExport(id),
});

function jumpToResult(m) { openConversation(m.conversationId, { messageId: m.id, seq: m.seq }); }

document.getElementById('btn-new-direct').addEventListener('click', () => dialogs.openNewDirect(openConversation));
document.getElementById('btn-new-group').addEventListener('click', () => dialogs.openNewGroup(openConversation));
document.getElementById('btn-search').addEventListener('click', () => dialogs.openSearch({ onResult: jumpToResult }));
document.getElementById('btn-logout').addEventListener('click', async () => {
  await notify.forgetDevice();
  await api.logout();
  signOut();
});

// The open conversation disappeared (left, removed): go back to the list.
store.on('closed', () => { if (routeId()) location.hash = '#/'; });
store.on('conversations', () => {
  const id = routeId();
  if (signedIn && id && state.openId === id && !state.conversations.has(id)) location.hash = '#/';
});

registerServiceWorker();
boot();
