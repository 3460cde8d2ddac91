// Rendering of one message (stored or pending) and the helpers that describe
// messages in words (system lines, list previews, reply quotes). Pure
// functions of their input: the chat view decides when to call them.

import { h, avatar, formatTime, richText, systemText as systemLine } from '../dom.js';
import * as store from '../store.js';
import { renderAttachment } from './attachments.js';

export const RECALL_WINDOW_MS = 2 * 60 * 1000;

/** A system message in words, with the signed-in client's names for its users. */
export function systemText(msg) {
  return systemLine(msg, store.displayName);
}

/** One line summary for the conversation list and reply quotes. */
export function previewText(msg, { withSender = false } = {}) {
  if (!msg) return '';
  if (msg.type === 'system') return systemText(msg);
  let body;
  if (msg.recalled) body = 'Message recalled';
  else if (msg.type === 'text') body = msg.text || '';
  else body = attachmentLabel(msg);
  if (!withSender) return body;
  return `${senderName(msg)}: ${body}`;
}

/**
 * Who a message shows as its sender: for a message posted through an incoming
 * webhook (issue 20) the name it was posted under (`via.name`), else the user.
 */
export function senderName(msg) {
  if (msg.via && typeof msg.via.name === 'string' && msg.via.name) return msg.via.name;
  return store.displayName(msg.senderId);
}

function attachmentLabel(msg) {
  const file = msg.media?.name || msg.file?.name;
  const name = file ? ` ${file}` : '';
  return { image: `Photo${name}`, voice: 'Voice message', file: `File${name}` }[msg.type] || 'Attachment';
}

/** May the current user recall this message right now? (the server has the final word) */
export function canRecall(msg, conv) {
  if (msg.pending || msg.recalled || msg.type === 'system') return false;
  if (conv?.type === 'group' && (conv.myRole === 'owner' || conv.myRole === 'admin')) return true;
  return msg.senderId === store.state.me?.id && recallDeadline(msg) > Date.now();
}

const EDIT_WINDOW_MS = 24 * 3600 * 1000; // the contract: the sender edits within 24 hours
export const QUICK_REACTION = '👍';
/**
 * The reaction picker's choice. The server takes any single emoji (see
 * Emoji.java); these are the ones people reach for most.
 */
export const COMMON_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏', '🎉', '🔥', '👏', '👀', '✅', '👎'];

export function canEdit(msg) {
  return !msg.pending && !msg.recalled && msg.type === 'text' && msg.senderId === store.state.me?.id
    && (Date.parse(msg.createdAt) || 0) + EDIT_WINDOW_MS > Date.now();
}

export const recallDeadline = (msg) => (Date.parse(msg.createdAt) || 0) + RECALL_WINDOW_MS;

/** "Sending…", "Sent", "Delivered", "Read", "Read by 3", "Not sent". */
export function deliveryText(msg, conv, chat) {
  if (msg.pending) return { sending: 'Sending…', sent: 'Sent', failed: 'Not sent' }[msg.state];
  const me = store.state.me?.id;
  if (conv?.type === 'direct') {
    const peer = store.directPeer(conv);
    const r = peer && peer.id !== me ? chat.receipts.get(peer.id) : null;
    if (r && r.readSeq >= msg.seq) return 'Read';
    if (r && r.deliveredSeq >= msg.seq) return 'Delivered';
    return 'Sent';
  }
  let readers = 0;
  for (const [userId, r] of chat.receipts) if (userId !== me && r.readSeq >= msg.seq) readers++;
  return readers ? `Read by ${readers}` : 'Sent';
}

/**
 * Everything the rendered element depends on, as a string: the chat view
 * reuses an existing element while this stays the same (keeps focus and
 * selection stable when other messages change).
 */
export function signature(msg, ctx) {
  return JSON.stringify([
    msg.id, msg.seq, msg.recalled, msg.text, msg.edited, msg.state, msg.type, msg.media?.id, !!msg.mediaId,
    ctx.showSender, msg.senderId && senderName(msg), !!msg.via,
    msg.senderId === store.state.me?.id ? deliveryText(msg, ctx.conv, ctx.chat) : '',
    canRecall(msg, ctx.conv), canEdit(msg), replyTarget(msg, ctx.chat)?.id, quoteText(msg, ctx.chat),
    (msg.mentions || []).map((id) => store.state.users.get(id)?.username || id).join(','), msg.system?.action, JSON.stringify(msg.reactions || []),
  ]);
}

function replyTarget(msg, chat) {
  if (!msg.replyTo) return null;
  const id = typeof msg.replyTo === 'object' ? msg.replyTo.id : msg.replyTo;
  return chat.byId.get(id) || (typeof msg.replyTo === 'object' ? msg.replyTo : { id });
}

function quoteText(msg, chat) {
  const target = replyTarget(msg, chat);
  if (!target) return '';
  if (!target.seq && !target.text) return 'Earlier message';
  return previewText(target, { withSender: true });
}

/**
 * Build the element. ctx = {conv, chat, showSender, onReply, onReact, onPickReaction,
 * onCopy, onEdit, onRecall, onShareFrom, onMore, onRetry, onDiscard, onJump}.
 */
export function renderMessage(msg, ctx) {
  const me = store.state.me?.id;
  const base = {
    testid: 'message', tabindex: '-1',
    dataset: { seq: msg.seq ?? '', type: msg.type, senderId: msg.senderId || '' },
  };
  if (msg.id) base.dataset.messageId = msg.id;
  if (msg.clientId) base.dataset.clientId = msg.clientId;

  if (msg.type === 'system') {
    return h('article', { ...base, class: 'msg system', dataset: { ...base.dataset, state: 'sent' } },
      h('span', { testid: 'message-text' }, systemText(msg)));
  }

  const own = msg.senderId === me;
  const state = msg.pending ? msg.state : 'sent';
  const mentionsMe = (msg.mentions || []).includes(me);
  const el = h('article', {
    ...base,
    class: `msg ${own ? 'own' : 'other'}${msg.recalled ? ' recalled' : ''}${mentionsMe ? ' mentions-me' : ''}`,
    dataset: { ...base.dataset, state },
  });

  const integration = !!msg.via;
  const sender = integration
    ? { ...(store.state.users.get(msg.senderId) || { id: msg.senderId }), displayName: senderName(msg) }
    : (store.state.users.get(msg.senderId) || { id: msg.senderId });
  const isGroup = ctx.conv?.type === 'group';
  if (integration) el.classList.add('via-webhook');
  if (isGroup && !own) {
    el.appendChild(ctx.showSender ? avatar(sender, 'msg-avatar') : h('span', { class: 'msg-avatar-gap' }));
  }

  const bubble = h('div', { class: 'bubble' });
  if (integration) {
    // An integration's message: always named (also in a direct conversation), and marked as an app.
    bubble.appendChild(h('div', { class: 'sender', testid: 'message-sender' }, senderName(msg),
      h('span', { class: 'app-badge', testid: 'app-badge', title: 'Posted by an integration (incoming webhook)' }, 'APP')));
  } else if (isGroup && !own && ctx.showSender) {
    bubble.appendChild(h('div', { class: 'sender' }, store.displayName(msg.senderId)));
  }
  const target = replyTarget(msg, ctx.chat);
  if (target && !msg.recalled) {
    bubble.appendChild(h('button', {
      type: 'button', class: 'quote', testid: 'reply-quote',
      'aria-label': `Replying to: ${quoteText(msg, ctx.chat)}. Show it`,
      onclick: () => ctx.onJump?.(target),
    }, quoteText(msg, ctx.chat)));
  }
  bubble.appendChild(renderBody(msg, ctx));

  const meta = h('div', { class: 'meta' },
    h('time', { datetime: msg.createdAt }, formatTime(msg.createdAt)),
    msg.edited && !msg.recalled ? h('span', { class: 'edited' }, 'edited') : null);
  if (own) meta.appendChild(h('span', { class: `delivery ${state}`, testid: 'read-state' }, deliveryText(msg, ctx.conv, ctx.chat)));
  if (msg.pending && msg.state === 'failed' && msg.error) meta.appendChild(h('span', { class: 'fail-reason', role: 'alert' }, msg.error));
  bubble.appendChild(meta);
  if (!msg.recalled && msg.reactions?.length) bubble.appendChild(renderReactions(msg, ctx));
  el.appendChild(bubble);

  if (msg.pending && msg.state === 'failed') el.appendChild(renderFailedControls(msg, ctx));
  else if (!msg.pending && !msg.recalled) {
    bubble.prepend(renderToolbar(msg, ctx));
    meta.appendChild(h('button', {
      type: 'button', class: 'more', testid: 'message-more',
      'aria-label': 'Message actions', title: 'Message actions', onclick: () => ctx.onMore?.(msg),
    }, '⋯'));
  }
  setInsideTabbable(el, false);
  return el;
}

const FOCUSABLE = 'button, a[href], audio, video, input, select, textarea, [tabindex]';

/**
 * The message list has one Tab stop (the roving focus on its messages):
 * controls inside a message join the Tab order only while its actions are
 * open, except the state controls of a failed send, which always are.
 */
export function setInsideTabbable(el, tabbable) {
  for (const c of el.querySelectorAll(FOCUSABLE)) {
    if (!c.closest('.failed-controls')) c.tabIndex = tabbable ? 0 : -1;
  }
}

/**
 * What can be done with a stored message, in menu order: the floating
 * toolbar and the phone's action sheet both list these.
 */
export function messageActions(msg, ctx) {
  if (msg.pending || msg.type === 'system') return [];
  const list = [];
  if (!msg.recalled) list.push({ id: 'reply', label: 'Reply', run: () => ctx.onReply?.(msg) });
  if (!msg.recalled && msg.text) list.push({ id: 'copy', label: 'Copy text', run: () => ctx.onCopy?.(msg) });
  if (canEdit(msg)) list.push({ id: 'edit', label: 'Edit', run: () => ctx.onEdit?.(msg) });
  if (canRecall(msg, ctx.conv)) list.push({ id: 'recall', label: 'Recall', until: recallExpiry(msg, ctx.conv), run: () => ctx.onRecall?.(msg) });
  if (!msg.recalled) list.push({ id: 'share-here', label: 'Share from here', run: () => ctx.onShareFrom?.(msg) });
  return list;
}

/** When the sender's own recall right runs out (the chat view drops the action then); none for admins. */
function recallExpiry(msg, conv) {
  const admin = conv?.type === 'group' && ['owner', 'admin'].includes(conv.myRole);
  return admin ? null : recallDeadline(msg);
}

/**
 * The desktop toolbar: shown over the bubble's corner on hover or keyboard
 * focus (CSS), out of the Tab order until the message's actions are opened.
 */
function renderToolbar(msg, ctx) {
  const mine = hasReacted(msg, QUICK_REACTION);
  const bar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Message actions', testid: 'message-toolbar' },
    h('button', {
      type: 'button', class: 'act', testid: 'react', 'aria-pressed': String(mine),
      'aria-label': mine ? `Remove your ${QUICK_REACTION}` : `React with ${QUICK_REACTION}`,
      onclick: () => ctx.onReact?.(msg, QUICK_REACTION, !mine),
    }, QUICK_REACTION),
    h('button', {
      type: 'button', class: 'act', testid: 'react-more', 'aria-label': 'Choose a reaction',
      title: 'Choose a reaction', onclick: () => ctx.onPickReaction?.(msg),
    }, '☺+'));
  for (const action of messageActions(msg, ctx)) {
    const b = h('button', { type: 'button', class: 'act', testid: action.id, onclick: action.run }, action.label);
    if (action.until) b.dataset.until = String(action.until);
    bar.appendChild(b);
  }
  return bar;
}

/** Retry and Delete of a send that failed: its state, so always on screen. */
function renderFailedControls(msg, ctx) {
  return h('div', { class: 'failed-controls' },
    h('button', { type: 'button', class: 'act retry', testid: 'retry', onclick: () => ctx.onRetry?.(msg) }, 'Retry'),
    h('button', { type: 'button', class: 'act', testid: 'discard', onclick: () => ctx.onDiscard?.(msg) }, 'Delete'));
}

export const hasReacted = (msg, emoji) => (msg.reactions || [])
  .some((r) => r.emoji === emoji && (r.userIds || []).includes(store.state.me?.id));

/** The reactions under a message: one toggle per emoji with its count. */
function renderReactions(msg, ctx) {
  return h('div', { class: 'reactions', testid: 'reactions' }, msg.reactions.map((r) => {
    const mine = (r.userIds || []).includes(store.state.me?.id);
    return h('button', {
      type: 'button', class: `reaction${mine ? ' mine' : ''}`, testid: 'reaction', 'aria-pressed': String(mine),
      dataset: { emoji: r.emoji },
      'aria-label': `${r.emoji} ${r.count}${mine ? ', yours: remove it' : ': add yours'}`,
      onclick: () => ctx.onReact?.(msg, r.emoji, !mine),
    }, `${r.emoji} ${r.count}`);
  }));
}

/** The message content by type: text, or an attachment with an optional caption. */
function renderBody(msg, ctx) {
  if (msg.recalled) return h('div', { class: 'text recalled-text', testid: 'message-text' }, 'This message was recalled');
  if (msg.type !== 'text') {
    const progress = msg.pending && msg.file && !msg.mediaId && msg.state !== 'failed'
      ? h('progress', { class: 'upload-progress', testid: 'upload-progress', max: '1', value: String(msg.progress || 0), 'aria-label': 'Uploading' })
      : null;
    return h('div', { class: 'attachment' }, renderAttachment(msg), progress,
      msg.text ? textBody(msg) : h('span', { class: 'visually-hidden', testid: 'message-text' }, attachmentLabel(msg)));
  }
  return textBody(msg);
}

function textBody(msg) {
  const names = new Set();
  for (const id of msg.mentions || []) {
    const u = store.state.users.get(id);
    if (u?.username) names.add(u.username.toLowerCase());
  }
  return h('div', { class: 'text', testid: 'message-text', dir: 'auto' }, richText(msg.text || '', names));
}
