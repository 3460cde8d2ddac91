// The shared-conversation page (/s/<token>): reads the range once and shows it read-only, in
// the chat view's own bubbles (css/app.css). Every piece of user text goes in through text
// nodes (dom.js h()), never as HTML. Media come from the share's own public paths.

import { h, avatar, dayKey, formatDay, formatTime, formatDuration, formatSize, richText, systemText } from './js/dom.js';

const NO_MENTIONS = new Set(); // the share names no usernames: @words stay plain text

function render(token, shared) {
  const users = new Map(shared.users.map((u) => [u.id, u]));
  const name = (id) => users.get(id)?.displayName || 'Someone';
  const byId = new Map(shared.messages.map((m) => [m.id, m]));
  const mediaPath = (item, thumbnail) => // relative, so it also works under a proxy sub-path
    `../api/shared/${encodeURIComponent(token)}/media/${encodeURIComponent(item.id)}${thumbnail ? '/thumbnail' : ''}`;

  const title = shared.conversation.title || 'Shared conversation';
  document.getElementById('share-title').textContent = title;
  document.title = `${title} · Parley`;
  const count = shared.messages.length;
  const parts = [`${count} message${count === 1 ? '' : 's'}`, `${shared.views} view${shared.views === 1 ? '' : 's'}`];
  if (shared.expiresAt) parts.push(`link expires ${new Date(shared.expiresAt).toLocaleString()}`);
  document.getElementById('share-meta').textContent = parts.join(' · ');

  const list = document.getElementById('share-messages');
  // A range is never empty when shared: only message retention empties it.
  if (!count) list.append(h('li', { class: 'msg system', testid: 'share-empty' }, h('span', { class: 'text' },
    'These messages are no longer kept.')));
  let day = null;
  let previous = null;
  for (const m of shared.messages) {
    if (dayKey(m.createdAt) !== day) {
      day = dayKey(m.createdAt);
      previous = null;
      list.append(h('li', { class: 'day' }, h('span', {}, formatDay(m.createdAt))));
    }
    const base = { testid: 'share-message', dataset: { seq: String(m.seq), type: m.type } };
    if (m.type === 'system' && m.system) {
      list.append(h('li', { ...base, class: 'msg system' }, h('span', { class: 'text' }, systemText(m, name))));
      previous = null;
      continue;
    }
    // Like the chat view: avatar and name once per run of messages from one sender.
    const showSender = previous !== m.senderId;
    previous = m.senderId;
    const sender = users.get(m.senderId) || { id: m.senderId };
    list.append(h('li', { ...base, class: `msg other${m.recalled ? ' recalled' : ''}` },
      showSender ? avatar(sender, 'msg-avatar') : h('span', { class: 'msg-avatar-gap' }),
      h('div', { class: 'bubble' },
        showSender ? h('div', { class: 'sender' }, name(m.senderId), sender.bot ? h('span', { class: 'tag' }, 'bot') : null) : null,
        quote(m, byId, name),
        body(m, mediaPath),
        h('div', { class: 'meta' },
          h('time', { datetime: m.createdAt, title: new Date(m.createdAt).toLocaleString() }, formatTime(m.createdAt)),
          m.edited && !m.recalled ? h('span', { class: 'edited' }, 'edited') : null),
        !m.recalled && m.reactions?.length
          ? h('div', { class: 'reactions' }, m.reactions.map((r) =>
            h('span', { class: 'reaction', 'aria-label': `${r.emoji} ${r.count}` }, `${r.emoji} ${r.count}`)))
          : null)));
  }
}

function quote(m, byId, name) {
  if (!m.replyTo || m.recalled) return null;
  const target = byId.get(m.replyTo);
  let text = 'An earlier message';
  if (target) {
    const what = target.recalled ? 'Message recalled' : target.text || { image: 'Photo', voice: 'Voice message', file: 'File' }[target.type] || '';
    text = `${name(target.senderId)}: ${what}`;
  }
  return h('div', { class: 'quote' }, text);
}

function body(m, mediaPath) {
  if (m.recalled) return h('div', { class: 'text recalled-text' }, 'This message was recalled');
  const text = m.text ? h('div', { class: 'text', dir: 'auto' }, richText(m.text, NO_MENTIONS)) : null;
  if (!m.media) return text;
  return h('div', { class: 'attachment' }, attachment(m, m.media, mediaPath), text);
}

function attachment(m, item, mediaPath) {
  const label = item.name || 'file';
  if (m.type === 'image') {
    const img = h('img', { alt: item.name ? `Image: ${item.name}` : 'Image', loading: 'lazy', decoding: 'async', ...fit(item) });
    img.src = mediaPath(item, !!item.thumbnailUrl);
    return h('a', { class: 'thumb', href: mediaPath(item, false), target: '_blank', rel: 'noopener', 'aria-label': `Open image ${label}` }, img);
  }
  if (m.type === 'voice') {
    const audio = h('audio', { controls: true, preload: 'none' });
    audio.src = mediaPath(item, false);
    return h('div', { class: 'voice' },
      h('span', { class: 'voice-label' }, 'Voice message', item.durationMs ? ` · ${formatDuration(item.durationMs)}` : ''), audio);
  }
  return h('a', { class: 'file', href: mediaPath(item, false), download: label, 'aria-label': `Download ${label}` },
    h('span', { class: 'file-icon', 'aria-hidden': 'true' }, '⬇'),
    h('span', { class: 'file-names' }, h('span', { class: 'file-name' }, label), h('span', { class: 'file-size' }, formatSize(item.size))));
}

/** The image's box at thumbnail size (longer side 240 px), so the page does not jump as images load. */
function fit(item) {
  if (!item.width || !item.height) return {};
  const scale = Math.min(1, 240 / Math.max(item.width, item.height));
  return { width: Math.round(item.width * scale), height: Math.round(item.height * scale) };
}

function fail(message) {
  document.getElementById('share-meta').textContent = '';
  const error = document.getElementById('share-error');
  error.textContent = message;
  error.hidden = false;
}

async function load() {
  const page = document.querySelector('main');
  const segments = window.location.pathname.split('/').filter(Boolean);
  const token = decodeURIComponent(segments[segments.length - 1] || '');
  try {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) {
      fail('This link is not valid.');
      return;
    }
    const response = await fetch(`../api/shared/${token}`, { credentials: 'omit', cache: 'no-store' });
    if (response.status === 404) {
      fail('This link does not exist, has expired or was revoked.');
      return;
    }
    if (!response.ok) {
      fail('The conversation could not be loaded. Try again later.');
      return;
    }
    render(token, await response.json());
  } catch (e) {
    fail('The conversation could not be loaded. Check your connection and try again.');
  } finally {
    page.setAttribute('aria-busy', 'false');
  }
}

load();
