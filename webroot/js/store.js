// Client state and the only place it changes. Views subscribe to topics and
// re-render what they show; nothing else mutates these maps.
//
// Topics: 'conversations' (list order/content), 'messages' {convId, kind, message?},
// 'pending' convId, 'receipts' convId, 'typing' convId, 'members' convId,
// 'users' (names/presence), 'me'.

const subs = new Map();
export function on(topic, fn) {
  if (!subs.has(topic)) subs.set(topic, new Set());
  subs.get(topic).add(fn);
  return () => subs.get(topic).delete(fn);
}
export function emit(topic, detail) {
  for (const fn of subs.get(topic) || []) {
    try { fn(detail); } catch (e) { console.error('subscriber failed', topic, e); }
  }
}

export const state = {
  me: null,
  users: new Map(),         // id → user (names, presence)
  conversations: new Map(), // id → conversation
  chats: new Map(),         // id → per-conversation detail, see chat()
  openId: null,             // conversation shown in the chat pane
};

export function reset() {
  state.me = null;
  state.users.clear();
  state.conversations.clear();
  state.chats.clear();
  state.openId = null;
}

export function setMe(user) {
  state.me = user;
  putUsers([user]);
  emit('me', user);
}

// ---- users ------------------------------------------------------------

export function putUsers(users) {
  let changed = false;
  for (const u of users || []) {
    if (!u?.id) continue;
    state.users.set(u.id, { ...state.users.get(u.id), ...u });
    changed = true;
  }
  if (changed) emit('users');
}

export function setPresence(userId, online) {
  const u = state.users.get(userId);
  if (!u) return;
  state.users.set(userId, { ...u, online, lastSeenAt: online ? u.lastSeenAt : new Date().toISOString() });
  emit('users');
}

export function displayName(userId) {
  if (userId && userId === state.me?.id) return 'You';
  const u = state.users.get(userId);
  return u?.displayName || u?.username || 'Someone';
}

// ---- conversations ------------------------------------------------------

export function conversationTitle(conv) {
  if (!conv) return '';
  if (conv.type === 'group') return conv.title || 'Untitled group';
  const peer = directPeer(conv);
  return peer?.displayName || peer?.username || 'Direct chat';
}

/** The other person of a direct conversation (yourself for a chat with yourself). */
export function directPeer(conv) {
  if (!conv || conv.type !== 'direct') return null;
  const members = conv.members || [];
  const other = members.find((m) => m.id !== state.me?.id) || members[0];
  return other ? (state.users.get(other.id) || other) : null;
}

export function activityTime(conv) {
  return Date.parse(conv.lastMessage?.createdAt || conv.createdAt || 0) || 0;
}

export function sortedConversations() {
  return [...state.conversations.values()].sort((a, b) =>
    activityTime(b) - activityTime(a) || (b.lastMessage?.id || 0) - (a.lastMessage?.id || 0));
}

export function upsertConversation(conv) {
  const old = state.conversations.get(conv.id);
  const merged = { ...old, ...conv };
  // Never let an older snapshot (a REST answer overtaken by a live event) roll back the preview.
  if (old?.lastMessage && (!conv.lastMessage || old.lastMessage.seq > conv.lastMessage.seq)) {
    merged.lastMessage = old.lastMessage;
    merged.lastSeq = Math.max(old.lastSeq || 0, conv.lastSeq || 0);
  }
  // Nor move the read pointer back (our own read mark may still be in flight).
  if (old && (old.lastReadSeq || 0) > (conv.lastReadSeq || 0)) {
    merged.lastReadSeq = old.lastReadSeq;
    merged.unread = old.unread;
  }
  state.conversations.set(conv.id, merged);
  putUsers(conv.members);
  emit('conversations');
}

export function replaceConversations(list) {
  const fresh = new Map();
  for (const c of list) {
    const old = state.conversations.get(c.id);
    // Same rule as upsert: a live event may already be newer than this list.
    const keep = old?.lastMessage && (!c.lastMessage || old.lastMessage.seq > c.lastMessage.seq);
    fresh.set(c.id, keep ? { ...c, lastMessage: old.lastMessage, lastSeq: Math.max(old.lastSeq || 0, c.lastSeq || 0) } : c);
  }
  state.conversations = fresh;
  for (const c of list) putUsers(c.members);
  for (const id of [...state.chats.keys()]) if (!fresh.has(id)) state.chats.delete(id);
  emit('conversations');
}

export function removeConversation(id) {
  state.conversations.delete(id);
  state.chats.delete(id);
  emit('conversations');
}

export function patchConversation(id, fields) {
  const conv = state.conversations.get(id);
  if (!conv) return;
  state.conversations.set(id, { ...conv, ...fields });
  emit('conversations');
}

// ---- messages -----------------------------------------------------------

/** Per-conversation detail, created on first use. `messages` is contiguous and ascending by seq. */
export function chat(convId) {
  let c = state.chats.get(convId);
  if (!c) {
    c = {
      id: convId,
      loaded: false, hasMore: false, messages: [], byId: new Map(),
      pending: [],              // optimistic sends not yet seen as a stored message
      receipts: new Map(),      // userId → {readSeq, deliveredSeq}
      typing: new Map(),        // userId → timer
      members: null,            // [{user, role}] once fetched
    };
    state.chats.set(convId, c);
  }
  return c;
}

export const maxSeq = (c) => (c.messages.length ? c.messages[c.messages.length - 1].seq : 0);
export const minSeq = (c) => (c.messages.length ? c.messages[0].seq : 0);

/** Last seq before the first hole in the window (seq is gap-free on the server). */
export function maxSeqBeforeGap(c) {
  for (let i = 1; i < c.messages.length; i++) {
    if (c.messages[i].seq !== c.messages[i - 1].seq + 1) return c.messages[i - 1].seq;
  }
  return maxSeq(c);
}

/** Replace the loaded window with the newest page. */
export function setNewestPage(convId, messages, hasMore) {
  const c = chat(convId);
  c.messages = [...messages].sort((a, b) => a.seq - b.seq);
  c.byId = new Map(c.messages.map((m) => [m.id, m]));
  c.hasMore = !!hasMore;
  c.loaded = true;
  settlePending(c);
  emit('messages', { convId, kind: 'reset' });
}

/** Prepend an older page (or append a newer one that closes a gap), skipping known ids. */
export function mergePage(convId, messages, { older = false, hasMore } = {}) {
  const c = chat(convId);
  const fresh = messages.filter((m) => !c.byId.has(m.id));
  for (const m of messages) if (c.byId.has(m.id)) replaceInPlace(c, m);
  for (const m of fresh) c.byId.set(m.id, m);
  c.messages = [...c.messages, ...fresh].sort((a, b) => a.seq - b.seq);
  if (older) c.hasMore = !!hasMore;
  settlePending(c);
  emit('messages', { convId, kind: older ? 'older' : 'reset' });
}

function replaceInPlace(c, m) {
  const i = c.messages.findIndex((x) => x.id === m.id);
  if (i >= 0) c.messages[i] = m;
  c.byId.set(m.id, m);
}

/**
 * Apply one message (live event, replay, REST answer). A known id is an
 * update (edit, recall, reaction) and replaces the old copy: never a duplicate.
 * Returns {isNew, gap}: gap = the loaded window is missing messages before it.
 */
export function applyMessage(msg) {
  const conv = state.conversations.get(msg.conversationId);
  let isNew = false;
  if (conv) {
    isNew = msg.seq > (conv.lastSeq || 0);
    const fields = {};
    if (isNew || conv.lastMessage?.id === msg.id) {
      fields.lastMessage = msg;
      fields.lastSeq = Math.max(conv.lastSeq || 0, msg.seq);
    }
    if (isNew && msg.senderId !== state.me?.id && msg.type !== 'system' && msg.seq > (conv.lastReadSeq || 0)) {
      fields.unread = (conv.unread || 0) + 1; // optimistic; reconciled from the server
    }
    if (Object.keys(fields).length) patchConversation(msg.conversationId, fields);
  }
  const c = state.chats.get(msg.conversationId);
  let gap = false;
  if (c?.loaded) {
    if (c.byId.has(msg.id)) {
      replaceInPlace(c, msg);
      emit('messages', { convId: msg.conversationId, kind: 'update', message: msg });
    } else if (c.messages.length && msg.seq < minSeq(c)) {
      // Older than the loaded window: it will come with the older page.
    } else {
      gap = c.messages.length > 0 && msg.seq > maxSeq(c) + 1;
      c.byId.set(msg.id, msg);
      const last = c.messages[c.messages.length - 1];
      c.messages.push(msg);
      if (last && last.seq > msg.seq) c.messages.sort((a, b) => a.seq - b.seq);
      settlePending(c);
      emit('messages', { convId: msg.conversationId, kind: 'append', message: msg });
    }
  }
  return { isNew, gap };
}

// ---- pending (optimistic) sends ------------------------------------------

export function addPending(p) {
  chat(p.conversationId).pending.push(p);
  emit('pending', p.conversationId);
}

export function updatePending(p, fields) {
  Object.assign(p, fields);
  settlePending(chat(p.conversationId));
  emit('pending', p.conversationId);
}

/** Drop pending entries whose stored message has arrived (matched by id or clientId). */
function settlePending(c) {
  if (!c.pending.length) return;
  const mine = new Set();
  for (const m of c.messages) if (m.clientId && m.senderId === state.me?.id) mine.add(m.clientId);
  const before = c.pending.length;
  c.pending = c.pending.filter((p) => !(mine.has(p.clientId) || (p.id && c.byId.has(p.id))));
  if (c.pending.length !== before) emit('pending', c.id);
}

export function findPending(clientId) {
  for (const c of state.chats.values()) {
    const p = c.pending.find((x) => x.clientId === clientId);
    if (p) return p;
  }
  return null;
}

// ---- receipts, typing, members --------------------------------------------

export function setReceipt(convId, userId, { readSeq, deliveredSeq }) {
  const c = chat(convId);
  const r = c.receipts.get(userId) || { readSeq: 0, deliveredSeq: 0 };
  // Pointers only move forward; a late event must not move one back.
  const next = {
    readSeq: Math.max(r.readSeq, readSeq || 0),
    deliveredSeq: Math.max(r.deliveredSeq, deliveredSeq || 0, readSeq || 0),
  };
  c.receipts.set(userId, next);
  emit('receipts', convId);
}

const TYPING_MS = 5000;
export function setTyping(convId, userId) {
  const c = chat(convId);
  clearTimeout(c.typing.get(userId));
  c.typing.set(userId, setTimeout(() => { c.typing.delete(userId); emit('typing', convId); }, TYPING_MS));
  emit('typing', convId);
}

export function clearTyping(convId, userId) {
  const c = state.chats.get(convId);
  if (!c?.typing.has(userId)) return;
  clearTimeout(c.typing.get(userId));
  c.typing.delete(userId);
  emit('typing', convId);
}

export function setMembers(convId, members) {
  chat(convId).members = members;
  putUsers(members.map((m) => m.user));
  emit('members', convId);
}
