// Keeps the store in step with the server: initial load, live events,
// resync, read/delivered pointers, typing notices. Views call the exported
// actions; push events come in through onEvent.
//
// A safety net under the server's own guarantee: seq is gap-free per
// conversation, so a message whose seq is past the end of the loaded window
// means something in between never arrived. It is fetched over REST at once
// (fillGap), and counted; with debug on (?debug in the address, or
// localStorage "parley.debug" = "1") each filled gap is reported in the console.

import * as api from './api.js';
import * as store from './store.js';
import { Push } from './push.js';
import * as outbox from './outbox.js';
import * as notify from './notify.js';
import { toast } from './dom.js';

const { state } = store;
export let push = null;
let wasDisconnected = false;
let signedOutHandler = () => {};
let openHandler = () => {};
const debug = /[?&]debug\b/.test(location.search) || localStorage.getItem('parley.debug') === '1';
/** Gaps seen in a loaded conversation and messages fetched to fill them, since the page loaded. */
export const gaps = { seen: 0, filled: 0 };

export async function startSession(user, { onSignedOut, onOpenConversation }) {
  signedOutHandler = onSignedOut;
  openHandler = onOpenConversation || (() => {});
  store.setMe(user);
  push = new Push({
    onEvent,
    onFrame: (frame) => outbox.handleFrame(frame),
    onState,
    onAuthLost: () => signedOutHandler(),
  });
  outbox.attach(push, onMessage);
  try {
    await loadConversations();
  } catch (e) {
    if (e.status === 401) throw e;
    // Go live anyway; the first successful connection loads the list.
    wasDisconnected = true;
    push.start();
    throw e;
  }
  // Resume from the newest message the list already reflects: anything
  // that happened after the list was read has a larger event id and is
  // replayed, so nothing falls between the REST answer and the stream.
  let since = 0;
  for (const c of state.conversations.values()) since = Math.max(since, c.lastMessage?.id || 0);
  push.start(since);
}

export function stopSession() {
  push?.stop();
  push = null;
  wasDisconnected = false;
  clearTimeout(readTimer);
  visible = { id: null, seq: 0 };
  for (const c of state.chats.values()) for (const t of c.typing.values()) clearTimeout(t);
  store.reset();
}

export async function loadConversations() {
  store.replaceConversations(await api.listConversations());
}

// ---- live events -----------------------------------------------------------

function onState(s) {
  store.emit('connection', s);
  if (s === 'reconnecting') wasDisconnected = true;
  if (s === 'open' && wasDisconnected) {
    wasDisconnected = false;
    outbox.retryStalled();
    // Durable events were replayed from our cursor; ephemeral ones (reads,
    // presence) sent while we were away were not: fetch them again.
    loadConversations().catch(() => {});
    if (state.openId) loadReceipts(state.openId);
  }
}

export function onEvent(type, data) {
  switch (type) {
    case 'message': return onMessage(data);
    case 'read':
    case 'delivered': return onReceipt(type, data);
    case 'typing':
      if (data.userId !== state.me?.id) store.setTyping(data.conversationId, data.userId);
      return;
    case 'presence': return store.setPresence(data.userId, !!data.online);
    case 'conversation': return refreshConversation(data.conversation?.id || data.id, data.conversation);
    case 'resync': return resync();
    default: return undefined; // newer server, older client: ignore unknown types
  }
}

function onMessage(msg) {
  if (!msg?.conversationId) return;
  const known = state.conversations.has(msg.conversationId);
  const { isNew, gap } = store.applyMessage(msg);
  if (!known) refreshConversation(msg.conversationId);
  if (gap) {
    gaps.seen++;
    fillGap(msg.conversationId);
  }
  if (msg.senderId !== state.me?.id) {
    store.clearTyping(msg.conversationId, msg.senderId);
    if (isNew) scheduleDelivered(msg.conversationId, msg.seq);
  }
  if (isNew) notify.incoming(msg, openHandler);
  if (msg.type === 'system' && state.chats.get(msg.conversationId)?.members) {
    loadMembers(msg.conversationId); // membership changed: roles, names, mention list
  }
  if (isNew && msg.conversationId === state.openId) markReadSoon();
  else if (isNew && msg.senderId !== state.me?.id) reconcileSoon(msg.conversationId);
}

function onReceipt(type, { conversationId, userId, seq }) {
  if (!conversationId || !userId) return;
  store.setReceipt(conversationId, userId, type === 'read' ? { readSeq: seq } : { deliveredSeq: seq });
  if (type === 'read' && userId === state.me?.id) {
    // Read in another tab or device: clear the badge here too.
    const conv = state.conversations.get(conversationId);
    if (conv && seq > (conv.lastReadSeq || 0)) {
      store.patchConversation(conversationId, { lastReadSeq: seq, unread: seq >= conv.lastSeq ? 0 : conv.unread });
      if (seq < conv.lastSeq) reconcileSoon(conversationId);
    }
  }
}

/** Fetch one conversation; 404 means we are no longer a member. */
const refreshTickets = new Map();
export async function refreshConversation(id, hint) {
  if (!id) return;
  // Answers can overtake each other; only the last request issued may write.
  const ticket = (refreshTickets.get(id) || 0) + 1;
  refreshTickets.set(id, ticket);
  try {
    const conv = await api.getConversation(id);
    if (refreshTickets.get(id) === ticket) store.upsertConversation(conv);
  } catch (e) {
    if (refreshTickets.get(id) !== ticket) return;
    if (e.status === 404) {
      const wasOpen = state.openId === id;
      store.removeConversation(id);
      if (wasOpen) { toast('You are no longer a member of that conversation.'); store.emit('closed', id); }
    } else if (hint) {
      store.upsertConversation(hint);
    }
  }
}

async function resync() {
  try {
    await loadConversations();
    await reloadHistory();
  } catch (e) {
    console.warn('resync failed', e);
  }
}

/** The loaded messages may be stale: the open conversation's are loaded again now, the others when opened. */
export async function reloadHistory() {
  for (const [id, c] of state.chats) if (id !== state.openId) c.loaded = false;
  if (state.openId && state.conversations.has(state.openId)) await loadNewest(state.openId);
}

/**
 * A message arrived whose seq is past the end of our window: fetch what lies
 * between, until the window has no hole (one that opens while a page is on
 * its way is filled too).
 */
async function fillGap(convId) {
  const c = state.chats.get(convId);
  if (!c || c.fillingGap) return;
  c.fillingGap = true;
  try {
    for (let i = 0; i < 20 && store.maxSeqBeforeGap(c) < store.maxSeq(c); i++) {
      const from = store.maxSeqBeforeGap(c);
      const before = c.messages.length;
      const page = await api.getMessages(convId, { after: from, limit: 200 });
      store.mergePage(convId, page.messages || []);
      const fetched = c.messages.length - before;
      gaps.filled += fetched;
      if (debug) console.info(`parley: filled a gap after seq ${from} in ${convId}: ${fetched} message(s) (gaps seen ${gaps.seen}, messages filled ${gaps.filled})`);
      if (!fetched) break; // nothing more to find: the next event or a resync tries again
    }
  } catch { /* the next event or resync tries again */ } finally { c.fillingGap = false; }
}

// ---- opening and paging ------------------------------------------------------

export async function openConversation(id) {
  state.openId = id;
  const c = store.chat(id);
  const conv = state.conversations.get(id);
  const work = [];
  if (!c.loaded) work.push(loadNewest(id));
  work.push(loadReceipts(id));
  if (conv?.type === 'group' || !conv) work.push(loadMembers(id));
  await Promise.allSettled(work);
  markReadSoon();
}

export async function loadNewest(id) {
  const page = await api.getMessages(id);
  store.setNewestPage(id, page.messages || [], page.hasMore);
}

export async function loadOlder(id) {
  const c = store.chat(id);
  if (c.loadingOlder || !c.hasMore || !c.loaded) return false;
  c.loadingOlder = true;
  try {
    const page = await api.getMessages(id, { before: store.minSeq(c) });
    store.mergePage(id, page.messages || [], { older: true, hasMore: page.hasMore });
    return true;
  } finally {
    c.loadingOlder = false;
  }
}

/** Page back until seq is in the window (for search results); false if it never shows up. */
export async function ensureLoaded(id, seq) {
  const c = store.chat(id);
  if (!c.loaded) await loadNewest(id);
  for (let i = 0; i < 40 && c.messages.length && store.minSeq(c) > seq && c.hasMore; i++) {
    await loadOlder(id);
  }
  return c.messages.some((m) => m.seq === seq);
}

export async function loadReceipts(id) {
  try {
    for (const r of await api.getReceipts(id)) store.setReceipt(id, r.userId, r);
  } catch { /* receipts are decoration */ }
}

export async function loadMembers(id) {
  try {
    store.setMembers(id, await api.listMembers(id));
  } catch (e) {
    if (e.status === 404) refreshConversation(id);
  }
}

// ---- read / delivered / typing ------------------------------------------------

/** Is the open conversation actually in front of the user? */
function inView(convId) {
  return convId === state.openId && state.chatShown
    && document.visibilityState === 'visible' && document.hasFocus();
}

let readTimer = 0;
let visible = { id: null, seq: 0 }; // the newest message of the open conversation in view

/** The chat view saw messages up to seq come into view: they are read once the pane is in front. */
export function readUpTo(id, seq) {
  visible = { id, seq };
  markReadSoon();
}

export function markReadSoon() {
  clearTimeout(readTimer);
  readTimer = setTimeout(markReadNow, 250);
}

async function markReadNow() {
  const id = state.openId;
  const conv = state.conversations.get(id);
  if (!conv || !inView(id) || visible.id !== id) return;
  const seq = visible.seq;
  if (!seq || seq <= (conv.lastReadSeq || 0)) return;
  store.patchConversation(id, { lastReadSeq: seq, unread: unreadAfter(id, seq) });
  try {
    await api.markRead(id, seq);
    // The badge follows the server's count, not our guess.
    await refreshConversation(id);
  } catch { /* next visibility change tries again */ }
}

/** Our guess at the unread count once read up to seq (the server's answer follows). */
function unreadAfter(id, seq) {
  const conv = state.conversations.get(id);
  if (seq >= (conv.lastSeq || 0)) return 0;
  return store.chat(id).messages.filter((m) => m.seq > seq && m.senderId !== state.me?.id && m.type !== 'system').length;
}

const deliveredTimers = new Map();
function scheduleDelivered(convId, seq) {
  const entry = deliveredTimers.get(convId) || { seq: 0 };
  entry.seq = Math.max(entry.seq, seq);
  clearTimeout(entry.timer);
  entry.timer = setTimeout(() => {
    deliveredTimers.delete(convId);
    if (!push?.send({ type: 'delivered', conversationId: convId, seq: entry.seq })) {
      api.markDelivered(convId, entry.seq).catch(() => {});
    }
  }, 800);
  deliveredTimers.set(convId, entry);
}

const reconcileTimers = new Map();
/** Our unread counts are guesses between server answers; fetch the real one shortly. */
function reconcileSoon(convId) {
  clearTimeout(reconcileTimers.get(convId));
  reconcileTimers.set(convId, setTimeout(() => {
    reconcileTimers.delete(convId);
    if (state.conversations.has(convId)) refreshConversation(convId);
  }, 1500));
}

let lastTypingAt = 0;
let lastTypingConv = null;
/** Called on input in the composer; tells the others at most every 3 s. */
export function notifyTyping(convId) {
  const now = Date.now();
  if (convId === lastTypingConv && now - lastTypingAt < 3000) return;
  lastTypingAt = now;
  lastTypingConv = convId;
  if (!push?.send({ type: 'typing', conversationId: convId })) api.sendTyping(convId).catch(() => {});
}

for (const ev of ['focus', 'visibilitychange']) {
  window.addEventListener(ev, () => { if (state.openId) markReadSoon(); });
}
window.addEventListener('online', () => push?.reconnectNow());
// The device says the network is gone: the socket may take a minute to notice, say so now.
window.addEventListener('offline', () => push?.lostNetwork());
