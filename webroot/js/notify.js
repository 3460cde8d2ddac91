// Telling the user about messages while they look elsewhere: the unread total
// in the page title and on the favicon, and a system notification for a
// direct message or a mention that arrives while the tab is hidden or
// another conversation is open. Permission is asked for only from the
// in-app prompt (a click), never on page load.
//
// A group notifies as its member chose (every message, mentions only, the
// default, or nothing), muted conversations never, and nothing fires for your
// own messages (sent from another device) or for the conversation you are
// looking at.
//
// Once notifications are allowed, the device also subscribes to Web Push, so
// the service worker (sw.js) shows the same notifications while no tab is
// open; the server decides who is pushed, by the same rules.

import * as store from './store.js';
import * as api from './api.js';

const { state } = store;
const BASE_TITLE = 'Parley';
const DISMISSED = 'parley.notify.dismissed';
const DEVICE = 'parley.push.device'; // {userId, id}: this device's subscription on the server
let prompt = null;
let faviconLink = null;
let lastTotal = -1;
let wired = false;

/** Wires the title, the favicon and the prompt; call when the app is shown (again after a sign-in). */
export function init() {
  if (wired) {
    updateUnread();
    updatePrompt();
    subscribeDevice();
    return;
  }
  wired = true;
  faviconLink = document.querySelector('link[rel="icon"]');
  store.on('conversations', updateUnread);
  prompt = document.getElementById('notify-prompt');
  prompt?.querySelector('[data-testid="notify-enable"]')?.addEventListener('click', enable);
  prompt?.querySelector('[data-testid="notify-dismiss"]')?.addEventListener('click', dismiss);
  updateUnread();
  updatePrompt();
  subscribeDevice();
}

/** Signed out: no count, no prompt. */
export function reset() {
  lastTotal = -1;
  document.title = BASE_TITLE;
  setFavicon(0);
  if (prompt) prompt.hidden = true;
}

/** Shows the prompt while the browser can notify and the user has not decided. */
function updatePrompt() {
  if (!prompt) return;
  prompt.hidden = !state.me || !supported() || Notification.permission !== 'default'
    || localStorage.getItem(DISMISSED) === '1';
}

function supported() {
  return typeof window.Notification === 'function';
}

async function enable() {
  try {
    await Notification.requestPermission();
  } finally {
    updatePrompt();
  }
  await subscribeDevice();
}

// ---- Web Push -------------------------------------------------------------------------

const fromBase64url = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

function sameKey(buffer, key) {
  if (!buffer) return false;
  const a = new Uint8Array(buffer);
  const b = fromBase64url(key);
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * With permission granted, subscribes this device with the browser's push service (again if
 * the server's key changed) and gives the subscription to the server. Run at every start, so a
 * subscription the browser renewed reaches the server. Without a service worker or Push API
 * (some browsers, plain http) there is nothing to do: the open tab still notifies.
 */
async function subscribeDevice() {
  if (!supported() || Notification.permission !== 'granted' || !('serviceWorker' in navigator) || !('PushManager' in window)) return;
  try {
    const registration = await navigator.serviceWorker.ready;
    const key = await api.pushKey();
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription.options?.applicationServerKey, key)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ||= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64url(key) });
    const saved = await api.addPushSubscription(subscription.toJSON());
    if (state.me) localStorage.setItem(DEVICE, JSON.stringify({ userId: state.me.id, id: saved.id }));
  } catch {
    // No push service reachable, or Web Push off on the server: the open tab still notifies.
  }
}

/**
 * Signing out, or the session ended: this device stops receiving the user's pushes. The
 * browser's subscription is dropped, so the push service answers 410 and the server forgets the
 * device even when it cannot be told now (offline, or the session already over); with a live
 * session the server is told at once.
 */
export async function forgetDevice() {
  const saved = JSON.parse(localStorage.getItem(DEVICE) || 'null');
  localStorage.removeItem(DEVICE);
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    await (await registration?.pushManager?.getSubscription())?.unsubscribe();
  } catch {
    // No service worker or Push API here: nothing was subscribed.
  }
  if (!saved) return;
  try {
    await api.removePushSubscription(saved.id);
  } catch {
    // Signed out already, or unreachable: the push service's 410 removes it on the next push.
  }
}

function dismiss() {
  localStorage.setItem(DISMISSED, '1');
  updatePrompt();
}

function updateUnread() {
  let total = 0;
  for (const conv of state.conversations.values()) {
    if (!conv.muted) total += conv.unread || 0;
  }
  if (total === lastTotal) return;
  lastTotal = total;
  document.title = total > 0 ? `(${total > 99 ? '99+' : total}) ${BASE_TITLE}` : BASE_TITLE;
  setFavicon(total);
}

/** The favicon: a speech bubble, with a red dot carrying the count when anything is unread. */
function setFavicon(total) {
  if (!faviconLink) return;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 64;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.fillStyle = '#2563eb';
  g.beginPath();
  if (g.roundRect) g.roundRect(4, 8, 48, 38, 10); else g.rect(4, 8, 48, 38); // older browsers lack roundRect
  g.moveTo(14, 44); g.lineTo(10, 58); g.lineTo(26, 44);
  g.fill();
  if (total > 0) {
    g.fillStyle = '#dc2626';
    g.beginPath();
    g.arc(46, 20, 18, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = '#fff';
    g.font = 'bold 22px sans-serif';
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(total > 9 ? '9+' : String(total), 46, 21);
  }
  faviconLink.href = canvas.toDataURL('image/png');
  faviconLink.dataset.unread = String(total);
}

/** Whether the user is looking at this conversation right now. */
function looking(conversationId) {
  return document.visibilityState === 'visible' && document.hasFocus() && state.openId === conversationId;
}

/** What a notification says about a message: its text, or what it carries. */
function preview(msg) {
  switch (msg.type) {
    case 'image': return 'sent a picture';
    case 'voice': return 'sent a voice message';
    case 'file': return `sent a file${msg.media?.name ? `: ${msg.media.name}` : ''}`;
    default: {
      const text = (msg.text || '').replace(/\s+/g, ' ').trim();
      return text.length > 140 ? `${text.slice(0, 139)}…` : text;
    }
  }
}

/**
 * A new message arrived live: notify if it is someone else's direct message,
 * or a group message the user asked to hear of (all, or mentioning them), in a
 * conversation that is not muted and that the user is not looking at. {@code onOpen} opens the conversation on click.
 */
export function incoming(msg, onOpen) {
  if (!supported() || Notification.permission !== 'granted') return;
  if (!state.me || msg.senderId === state.me.id || msg.type === 'system' || msg.recalled) return;
  const conv = state.conversations.get(msg.conversationId);
  if (!conv || conv.muted || looking(msg.conversationId)) return;
  if (conv.type !== 'direct') {
    const level = conv.notify || 'mentions';
    const mentioned = (msg.mentions || []).includes(state.me.id);
    if (level === 'nothing' || (level === 'mentions' && !mentioned)) return;
  }
  const sender = store.displayName(msg.senderId);
  const title = conv.type === 'direct' ? sender : `${sender} in ${store.conversationTitle(conv)}`;
  try {
    // Text only: the system shows it as text, never as markup.
    const n = new Notification(title, { body: preview(msg), tag: msg.conversationId, data: { conversationId: msg.conversationId } });
    n.onclick = () => {
      window.focus();
      onOpen(msg.conversationId);
      n.close();
    };
  } catch (e) {
    // Some platforms allow notifications only from a service worker: nothing to show here then.
  }
}
