// The conversation list: newest activity first, unread badge, online dot
// for direct peers. Re-rendered whenever the store says the list changed.

import { h, clear, avatar, formatListStamp } from '../dom.js';
import * as store from '../store.js';
import { previewText } from './message.js';

const { state } = store;
let listEl;
let emptyEl;
let onOpen = () => {};
let queued = false;

export function init(opts) {
  onOpen = opts.onOpen;
  listEl = document.getElementById('conversation-list');
  emptyEl = document.getElementById('list-empty');
  for (const topic of ['conversations', 'users', 'typing']) store.on(topic, queueRender);
}

function queueRender() {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => { queued = false; render(); });
}

export function render() {
  // Keep keyboard focus on the same conversation across a reorder.
  const focusedId = document.activeElement?.closest?.('[data-testid="conversation-item"]')?.dataset.conversationId;
  clear(listEl);
  const convs = store.sortedConversations();
  emptyEl.hidden = convs.length > 0;
  for (const conv of convs) listEl.appendChild(item(conv));
  if (focusedId) listEl.querySelector(`[data-conversation-id="${CSS.escape(focusedId)}"]`)?.focus();
}

function item(conv) {
  const title = store.conversationTitle(conv);
  const peer = store.directPeer(conv);
  const online = !!(peer && peer.id !== state.me?.id && peer.online);
  const unread = conv.unread || 0;
  const typing = typingText(conv);
  const last = conv.lastMessage;
  let preview = typing || (last ? previewText(last, { withSender: conv.type === 'group' && last.type !== 'system' }) : 'No messages yet');
  if (!typing && last && last.senderId === state.me?.id && last.type !== 'system' && conv.type !== 'group') preview = `You: ${previewText(last)}`;

  const button = h('button', {
    type: 'button', class: 'conv', testid: 'conversation-item',
    dataset: { conversationId: conv.id, unread: String(unread) },
    'aria-current': conv.id === state.openId ? 'true' : null,
    onclick: () => onOpen(conv.id),
  },
  h('span', { class: 'avatar-wrap' },
    avatar(peer || { id: conv.id, displayName: title }),
    online ? h('span', { class: 'online-dot', testid: 'online-dot', title: 'online' }, h('span', { class: 'visually-hidden' }, 'online')) : null),
  h('span', { class: 'conv-main' },
    h('span', { class: 'conv-top' },
      h('span', { class: 'conv-title', testid: 'conversation-title' }, title),
      h('span', { class: 'conv-time' }, formatListStamp(last?.createdAt || conv.createdAt))),
    h('span', { class: 'conv-bottom' },
      h('span', { class: `conv-preview${typing ? ' typing' : ''}`, testid: 'conversation-preview' }, preview),
      conv.muted ? h('span', { class: 'muted-mark', title: 'muted' }, 'muted') : null,
      unread ? h('span', { class: `badge${conv.muted ? ' quiet' : ''}`, testid: 'unread-badge' }, unread > 99 ? '99+' : String(unread)) : null,
      unread ? h('span', { class: 'visually-hidden' }, ' unread') : null)));
  return h('li', {}, button);
}

function typingText(conv) {
  const c = state.chats.get(conv.id);
  if (!c?.typing.size) return '';
  const others = [...c.typing.keys()].filter((id) => id !== state.me?.id);
  if (!others.length) return '';
  return conv.type === 'group' ? `${store.displayName(others[0])} is typing…` : 'typing…';
}
