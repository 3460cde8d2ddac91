// The chat pane: header, message history with paging, typing line. Renders
// by reconciling a keyed list, so an unchanged message keeps its element
// (focus, selection and scroll position survive live updates).

import { h, clear, avatar, dayKey, formatDay, formatTime, toast, debounce } from '../dom.js';
import * as store from '../store.js';
import * as sync from '../sync.js';
import * as outbox from '../outbox.js';
import * as api from '../api.js';
import { renderMessage, signature, previewText } from './message.js';
import * as composer from './composer.js';
import { openDialog } from './dialog-shell.js';
import { openActionSheet, openReactionPicker, copyMessageText } from './actions.js';
import * as listFocus from './listfocus.js';

const { state } = store;
const els = {};
let currentId = null;
let queued = false;
let scrollToEnd = false;
let pinned = true; // the history is scrolled to its end (new content keeps it there)
let unreadFrom = null; // seq of the first message unread when the conversation was opened: the divider goes above it
let placed = false; // the opened conversation is at its first unread message (or its end): reading may count
let shareFrom = () => {};
const shown = new Map(); // key of a rendered message → the message
const mine = (id) => id === currentId;

export function init({ onBack, onMembers, onSearch, onShare, onExport }) {
  shareFrom = (msg) => onShare(currentId, { fromSeq: msg.seq });
  for (const id of ['chat-view', 'chat-empty', 'chat-title', 'chat-subtitle', 'chat-avatar', 'messages',
    'typing', 'jump-latest', 'btn-back', 'btn-members', 'btn-chat-search', 'btn-share', 'btn-export', 'announcer']) {
    els[id] = document.getElementById(id);
  }
  els['btn-back'].addEventListener('click', onBack);
  els['btn-members'].addEventListener('click', () => currentId && onMembers(currentId));
  els['btn-chat-search'].addEventListener('click', () => currentId && onSearch(currentId));
  els['btn-share'].addEventListener('click', () => currentId && onShare(currentId));
  els['btn-export'].addEventListener('click', () => currentId && onExport(currentId));
  // Upload progress goes straight to the bar: no re-render for every few kilobytes.
  store.on('progress', (p) => {
    if (!mine(p.conversationId)) return;
    const bar = els.messages.querySelector(`[data-client-id="${CSS.escape(p.clientId)}"] progress`);
    if (bar) bar.value = p.progress;
  });
  // An image that loads after the render grows its message: stay at the bottom if we were there.
  els.messages.addEventListener('load', () => { if (pinned) scrollBottom(); }, true);
  els['jump-latest'].addEventListener('click', () => { scrollBottom(); showJumpLatest(false); });
  els.messages.addEventListener('scroll', onScroll, { passive: true });
  listFocus.attach(els.messages, { onOpen: openActions });
  els.messages.addEventListener('scroll', debounce(listFocus.followView, 150), { passive: true });
  watchReading();

  store.on('messages', ({ convId, kind, message }) => {
    if (!mine(convId)) return;
    if (kind === 'append') announce(message);
    queueRender();
  });
  for (const topic of ['pending', 'receipts', 'members']) store.on(topic, (id) => mine(id) && queueRender());
  store.on('users', () => { if (currentId) { renderHeader(); queueRender(); } });
  store.on('conversations', () => { if (currentId) { renderHeader(); queueRender(); } });
  store.on('typing', (id) => mine(id) && renderTyping());
  // Sender-only recall rights run out after two minutes.
  setInterval(() => {
    for (const b of els.messages.querySelectorAll('[data-testid="recall"][data-until]')) {
      if (Number(b.dataset.until) < Date.now()) b.remove();
    }
  }, 5000);
  composer.init({ onSent: () => { scrollToEnd = true; queueRender(); } });
}

export const openId = () => currentId;

export async function show(convId) {
  if (currentId !== convId) {
    currentId = convId;
    const conv = state.conversations.get(convId);
    unreadFrom = conv?.unread ? (conv.lastReadSeq || 0) + 1 : null;
    placed = false;
    scrollToEnd = !unreadFrom;
    forgetRendered();
    showJumpLatest(false);
    composer.setConversation(convId);
  }
  els['chat-empty'].hidden = true;
  els['chat-view'].hidden = false;
  renderHeader();
  renderTyping();
  render();
  try {
    await sync.openConversation(convId);
    // Page back to the first unread message, so the reader starts there.
    if (unreadFrom && currentId === convId) await sync.ensureLoaded(convId, unreadFrom);
  } catch (e) {
    if (currentId === convId) toast(e.message || 'Could not load messages', 'error');
  }
  if (currentId !== convId) return;
  render();
  if (!placed) placeReader();
  fillViewport();
}

/** Open at the "New messages" divider when there is one, else at the end (render already did that). */
function placeReader() {
  const divider = els.messages.querySelector(':scope > .unread-divider');
  if (divider) {
    els.messages.scrollTop = divider.offsetTop - 8;
    pinned = atBottom();
    showJumpLatest(farFromBottom());
  }
  placed = true;
  listFocus.followView();
  reportVisible();
}

export function forgetDrafts() { composer.clearDrafts(); }

export function hide() {
  currentId = null;
  composer.setConversation(null);
  els['chat-view'].hidden = true;
  els['chat-empty'].hidden = false;
}

function renderHeader() {
  const conv = state.conversations.get(currentId);
  if (!conv) return;
  els['chat-title'].textContent = store.conversationTitle(conv);
  clear(els['chat-avatar']);
  const peer = store.directPeer(conv);
  els['chat-avatar'].appendChild(avatar(peer || { id: conv.id, displayName: store.conversationTitle(conv) }));
  let sub = '';
  if (conv.type === 'group') sub = `${conv.memberCount || conv.members?.length || 0} members`;
  else if (peer && peer.id !== state.me?.id) {
    sub = peer.online ? 'online' : peer.lastSeenAt ? `last seen ${formatDay(peer.lastSeenAt).toLowerCase()} ${formatTime(peer.lastSeenAt)}` : '';
  }
  els['chat-subtitle'].textContent = sub;
  els['btn-members'].hidden = conv.type !== 'group';
}

function renderTyping() {
  const c = state.chats.get(currentId);
  const names = c ? [...c.typing.keys()].filter((id) => id !== state.me?.id).map((id) => store.displayName(id)) : [];
  let text = '';
  if (names.length === 1) text = `${names[0]} is typing…`;
  else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing…`;
  else if (names.length > 2) text = 'Several people are typing…';
  els.typing.textContent = text;
}

function announce(msg) {
  if (!msg || msg.senderId === state.me?.id) return;
  els.announcer.textContent = msg.type === 'system' ? previewText(msg) : `${store.displayName(msg.senderId)}: ${previewText(msg)}`;
  if (!atBottom()) showJumpLatest(true, 'New messages');
}

/** The "jump to latest" button: shown while far up, saying so when something new came in meanwhile. */
function showJumpLatest(show, label = 'Latest') {
  const button = els['jump-latest'];
  if (show && !button.hidden && label === 'Latest') return; // keep "New messages" until it is used
  button.hidden = !show;
  button.replaceChildren(h('span', { 'aria-hidden': 'true' }, '↓ '), label);
}

// ---- rendering ------------------------------------------------------------------

function queueRender() {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => { queued = false; render(); });
}

const handlers = {
  onReply: (msg) => composer.setReply(msg),
  onRecall: (msg) => recall(msg),
  onReact: (msg, emoji, add) => react(msg, emoji, add),
  onPickReaction: (msg) => { focusMessage(msg); openReactionPicker(msg, actionContext()); },
  onCopy: (msg) => copyMessageText(msg),
  onShareFrom: (msg) => { focusMessage(msg); shareFrom(msg); },
  onMore: (msg) => { focusMessage(msg); openActionSheet(msg, actionContext()); },
  onEdit: (msg) => { focusMessage(msg); openEdit(msg); },
  onRetry: (p) => outbox.retry(p),
  onDiscard: (p) => outbox.discard(p),
  onJump: (target) => jumpToMessage(target.id, target.seq),
};

function render() {
  const list = els.messages;
  const conv = state.conversations.get(currentId);
  const c = currentId && state.chats.get(currentId);
  if (!conv || !c?.loaded) {
    if (!list.querySelector('.history-edge')) list.appendChild(h('div', { class: 'history-edge', dataset: { key: 'loading' } }, 'Loading…'));
    return;
  }
  const anchor = captureScroll();
  const hadFocus = list.contains(document.activeElement);
  shown.clear();
  const items = [{
    key: 'top', sig: String(c.hasMore),
    build: () => h('div', { class: 'history-edge' }, c.hasMore ? 'Loading earlier messages…' : 'This is the beginning of the conversation.'),
  }];
  let prev = null;
  let day = null;
  const dividerSeq = firstUnreadSeq(c);
  for (const m of [...c.messages, ...c.pending]) {
    const dk = dayKey(m.createdAt);
    if (dk !== day) {
      const label = formatDay(m.createdAt);
      items.push({ key: `d-${dk}`, sig: label, build: () => h('div', { class: 'day', role: 'separator' }, h('span', {}, label)) });
      day = dk;
      prev = null;
    }
    const showSender = !prev || prev.senderId !== m.senderId || prev.type === 'system'
      || Date.parse(m.createdAt) - Date.parse(prev.createdAt) > 5 * 60000;
    const ctx = { conv, chat: c, showSender, ...handlers };
    if (m.seq === dividerSeq) {
      items.push({ key: 'unread', sig: '', build: () => h('div', { class: 'unread-divider', role: 'separator', testid: 'unread-divider' }, h('span', {}, 'New messages')) });
    }
    const key = m.pending ? `p-${m.clientId}` : `m-${m.id}`;
    shown.set(key, m);
    items.push({ key, sig: signature(m, ctx), build: () => renderMessage(m, ctx) });
    prev = m;
  }
  const { added, removed } = reconcile(list, items);
  for (const n of removed) forgetSeen(n);
  for (const n of added) if (n.dataset.testid === 'message' && n.dataset.seq) reading.observe(n);
  listFocus.afterRender({ hadFocus });
  if (scrollToEnd || anchor.atBottom) {
    scrollBottom();
    pinned = true;
    scrollToEnd = false;
  } else if (anchor.key) {
    // By key: the element itself may have been rebuilt (e.g. it lost its sender line).
    const node = [...list.children].find((n) => n.dataset.key === anchor.key);
    if (node) list.scrollTop = node.offsetTop - anchor.offset;
  }
}

/**
 * Make `container`'s children match `items` in order, reusing elements whose
 * key and signature match. Returns the elements built and those removed.
 */
function reconcile(container, items) {
  const old = new Map();
  const added = [];
  for (const n of container.children) old.set(n.dataset.key, n);
  let cursor = container.firstElementChild;
  for (const item of items) {
    let node = old.get(item.key);
    if (node && node.sig === item.sig) old.delete(item.key);
    else { node = item.build(); node.dataset.key = item.key; node.sig = item.sig; added.push(node); }
    if (node === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(node, cursor);
  }
  for (const n of old.values()) n.remove();
  return { added, removed: [...old.values()] };
}

/** The divider's message: the first one after the read pointer as it was on opening. */
function firstUnreadSeq(c) {
  if (!unreadFrom) return null;
  return c.messages.find((m) => m.seq >= unreadFrom)?.seq ?? null;
}

const fromBottom = () => {
  const l = els.messages;
  return l.scrollHeight - l.scrollTop - l.clientHeight;
};
const atBottom = () => fromBottom() < 60;
/** More than about a screen above the end: time to offer the way back. */
const farFromBottom = () => fromBottom() > els.messages.clientHeight;

function scrollBottom() { els.messages.scrollTop = els.messages.scrollHeight; }

/** Remember the first visible element and its offset, to keep it still while content changes above it. */
function captureScroll() {
  const l = els.messages;
  if (atBottom()) return { atBottom: true };
  for (const node of l.children) {
    // Only messages: the "loading earlier" edge and day separators move
    // when older messages are inserted, so they cannot hold the place.
    if (node.dataset.testid !== 'message') continue;
    if (node.offsetTop + node.offsetHeight > l.scrollTop) return { key: node.dataset.key, offset: node.offsetTop - l.scrollTop };
  }
  return {};
}

async function onScroll() {
  pinned = atBottom();
  if (!placed) return;
  if (pinned) showJumpLatest(false);
  else if (farFromBottom()) showJumpLatest(true);
  if (els.messages.scrollTop < 200 && currentId) {
    const id = currentId;
    try { await sync.loadOlder(id); } catch { /* retried on the next scroll */ }
  }
}

// ---- reading: what is in view counts as read ---------------------------------------

let reading = null;
const seen = new Set(); // rendered messages at least half in view (or filling half the pane)

function watchReading() {
  reading = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const mostly = e.intersectionRatio >= 0.5 || e.intersectionRect.height >= e.rootBounds.height / 2;
      if (e.isIntersecting && mostly) seen.add(e.target); else seen.delete(e.target);
    }
    reportVisible();
  }, { root: els.messages, threshold: [0, 0.25, 0.5, 0.75, 1] });
}

function forgetSeen(node) {
  reading.unobserve(node);
  seen.delete(node);
}

/** Tell sync the newest message in view; it marks read only while the pane is really in front of the user. */
function reportVisible() {
  if (!placed || !currentId) return;
  let newest = 0;
  for (const n of seen) newest = Math.max(newest, Number(n.dataset.seq) || 0);
  if (newest) sync.readUpTo(currentId, newest);
}

/** Another conversation: nothing of the old one stays rendered, observed or focused. */
function forgetRendered() {
  clear(els.messages);
  shown.clear();
  reading.disconnect();
  seen.clear();
  listFocus.reset();
}

// ---- message actions ------------------------------------------------------------------

const actionContext = () => ({ conv: state.conversations.get(currentId), chat: state.chats.get(currentId), ...handlers });

/** Focus the message first, so a dialog opened from its actions gives the focus back to it. */
function focusMessage(msg) {
  const key = msg.pending ? `p-${msg.clientId}` : `m-${msg.id}`;
  els.messages.querySelector(`:scope > [data-key="${CSS.escape(key)}"]`)?.focus({ preventScroll: true });
}

/** Enter or a long press on a message: its toolbar on a desktop, the action sheet elsewhere. */
function openActions(el, { pressed = false } = {}) {
  const msg = shown.get(el.dataset.key);
  if (!msg || !el.querySelector('.toolbar')) return;
  if (listFocus.desktopActions.matches && !pressed) listFocus.openToolbar(el);
  else handlers.onMore(msg);
}

/** Keep paging back while the history does not fill the pane (there is nothing to scroll yet). */
async function fillViewport() {
  const id = currentId;
  for (let i = 0; i < 10 && id === currentId; i++) {
    const c = state.chats.get(id);
    const l = els.messages;
    if (!c?.hasMore || l.scrollHeight > l.clientHeight + 50) break;
    try { if (!(await sync.loadOlder(id))) break; } catch { break; }
    render();
  }
}

/** Scroll to a message and flash it, paging back to it first if needed (search results, quotes). */
export async function jumpToMessage(messageId, seq) {
  const id = currentId;
  const c = state.chats.get(id);
  if (!c) return;
  if (seq && !c.messages.some((m) => m.seq === seq)) {
    try { await sync.ensureLoaded(id, seq); } catch { /* fall through */ }
  }
  if (id !== currentId) return;
  render();
  const sel = messageId ? `[data-message-id="${CSS.escape(String(messageId))}"]` : `[data-seq="${CSS.escape(String(seq))}"]`;
  const node = els.messages.querySelector(sel);
  if (!node) { toast('That message is not available any more.'); return; }
  node.scrollIntoView({ block: 'center' });
  node.classList.add('flash');
  setTimeout(() => node.classList.remove('flash'), 2000);
}

async function react(msg, emoji, add) {
  try {
    // The `message` event with the new reaction counts follows and replaces this copy.
    await (add ? api.addReaction : api.removeReaction)(msg.conversationId, msg.id, emoji);
  } catch (e) {
    toast(e.message || 'Reaction failed', 'error');
  }
}

/** Edit one's own text message in a small dialog; the edited copy comes back as a `message` event. */
function openEdit(msg) {
  openDialog('edit', 'Edit message', (body, close) => {
    const text = h('textarea', { id: 'edit-text', testid: 'edit-text', rows: '4', maxlength: '8000', 'aria-label': 'Message text' });
    text.value = msg.text || '';
    const status = h('p', { class: 'form-error', role: 'alert' });
    const save = h('button', { type: 'submit', class: 'primary', testid: 'edit-save' }, 'Save');
    const form = h('form', { class: 'stack' }, text, status, save);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const value = text.value.trim();
      if (!value) { status.textContent = 'A message cannot be empty; recall it instead.'; return; }
      save.disabled = true;
      try {
        store.applyMessage(await api.editMessage(msg.conversationId, msg.id, value));
        close();
      } catch (err) {
        status.textContent = err.status === 403 ? 'This message can no longer be edited.' : (err.message || 'Edit failed');
        save.disabled = false;
      }
    });
    body.append(form);
  });
}

async function recall(msg) {
  try {
    await api.recallMessage(msg.conversationId, msg.id);
    // The `message` event with the recalled copy follows; show it at once anyway.
    store.applyMessage({ ...msg, recalled: true, text: null, media: null });
  } catch (e) {
    toast(e.status === 403 ? 'This message can no longer be recalled.' : (e.message || 'Recall failed'), 'error');
  }
}
