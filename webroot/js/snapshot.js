// The last state this browser saw of the signed-in user: who they are, their
// conversations and the newest messages of those they opened lately. A page
// that loads without the server (the installed app opened offline) shows it
// until the server answers, instead of an empty screen.
//
// It lives in localStorage because boot needs it at once, before anything
// asynchronous; it holds one user's data and goes at sign-out.

import * as store from './store.js';
import * as tokens from './tokenstore.js';

const { state } = store;
const KEY = 'parley.snapshot';
const VERSION = 1;
const MAX_CHATS = 10;     // recently opened conversations whose messages are kept
const MAX_MESSAGES = 50;  // the newest of each
const SAVE_DELAY_MS = 1000;

let keeping = false;
let saveTimer = 0;
// The messages kept of the conversations opened lately, most recent first. One not loaded
// right now (a resync unloads them) keeps the messages it was last saved with.
let kept = new Map(); // id → {id, messages, hasMore}

for (const topic of ['me', 'users', 'conversations', 'messages']) store.on(topic, saveSoon);
// A reload or a closed tab writes what a pending save would have.
window.addEventListener('pagehide', () => { if (saveTimer) save(); });

/** Puts the stored snapshot into the store; returns its user, or null when there is none. */
export function restore() {
  const snap = read();
  if (!snap) return null;
  kept = new Map(snap.chats.map((c) => [c.id, c]));
  store.setMe(snap.me);
  store.putUsers(snap.users);
  store.replaceConversations(snap.conversations);
  for (const c of snap.chats) {
    if (state.conversations.has(c.id)) store.setNewestPage(c.id, c.messages, c.hasMore);
  }
  return snap.me;
}

/** From now on, keep the snapshot in step with the store. */
export function keep() {
  keeping = true;
  saveSoon();
}

/** Stops keeping it and deletes it (signed out: nothing of this user stays behind). */
export function forget() {
  keeping = false;
  clearTimeout(saveTimer);
  saveTimer = 0;
  kept = new Map();
  localStorage.removeItem(KEY);
}

function read() {
  try {
    const snap = JSON.parse(localStorage.getItem(KEY));
    return snap?.version === VERSION && snap.me?.id ? snap : null;
  } catch {
    return null; // unreadable: as good as none
  }
}

function saveSoon() {
  if (!keeping || saveTimer) return;
  saveTimer = setTimeout(save, SAVE_DELAY_MS);
}

function save() {
  clearTimeout(saveTimer);
  saveTimer = 0;
  // Another tab may have signed out a moment ago: its storage event has not reached us yet.
  if (!keeping || !state.me || !tokens.peek()) return;
  const ids = state.openId ? [state.openId, ...kept.keys()] : [...kept.keys()];
  const chats = new Map();
  for (const id of ids) {
    const c = state.chats.get(id);
    const entry = c?.loaded ? chatSnapshot(c) : kept.get(id);
    if (entry && state.conversations.has(id) && !chats.has(id) && chats.size < MAX_CHATS) chats.set(id, entry);
  }
  kept = chats;
  const snap = {
    version: VERSION,
    me: state.me,
    users: [...state.users.values()],
    conversations: [...state.conversations.values()],
    chats: [...chats.values()],
  };
  try {
    localStorage.setItem(KEY, JSON.stringify(snap));
  } catch {
    // Storage full: the list alone still says more than an empty page.
    try { localStorage.setItem(KEY, JSON.stringify({ ...snap, chats: [] })); } catch { /* nothing kept */ }
  }
}

function chatSnapshot(c) {
  const messages = c.messages.slice(-MAX_MESSAGES);
  return { id: c.id, messages, hasMore: c.hasMore || messages.length < c.messages.length };
}
