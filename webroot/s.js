// The shared-conversation page (/s/<token>): reads the range once and shows it read-only.
// Every piece of user text goes in through textContent, never as HTML; the page links nowhere.

const SYSTEM = {
  created: (by) => `${by} created the group`,
  joined: (by, who) => (by === who ? `${who} joined` : `${by} added ${who}`),
  left: (by) => `${by} left`,
  removed: (by, who) => `${by} removed ${who}`,
  renamed: (by) => `${by} renamed the group`,
};
const MEDIA = { image: 'Photo', voice: 'Voice message', file: 'File' };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

function render(token, shared) {
  const names = new Map(shared.users.map((u) => [u.id, u]));
  const name = (id) => (names.get(id) ? names.get(id).displayName : 'Someone');
  document.getElementById('share-title').textContent = shared.conversation.title || 'Shared conversation';
  document.title = `${shared.conversation.title || 'Shared conversation'} · Parley`;
  const count = shared.messages.length;
  const parts = [`${count} message${count === 1 ? '' : 's'}`, `${shared.views} view${shared.views === 1 ? '' : 's'}`];
  if (shared.expiresAt) parts.push(`link expires ${when(shared.expiresAt)}`);
  document.getElementById('share-meta').textContent = parts.join(' · ');

  const list = document.getElementById('share-messages');
  for (const m of shared.messages) {
    const item = el('li', 'message');
    item.dataset.testid = 'share-message';
    item.dataset.seq = String(m.seq);
    if (m.type === 'system' && m.system) {
      item.classList.add('system');
      const line = SYSTEM[m.system.action];
      item.append(el('p', 'text', line ? line(name(m.system.by), name(m.system.userId)) : 'Group changed'));
      list.append(item);
      continue;
    }
    const head = el('div', 'head');
    const sender = names.get(m.senderId);
    head.append(el('span', 'sender', name(m.senderId)));
    if (sender && sender.bot) head.append(el('span', 'badge', 'bot'));
    head.append(el('time', 'time', when(m.createdAt)));
    item.append(head);
    if (m.recalled) {
      item.classList.add('recalled');
      item.append(el('p', 'text', 'This message was recalled.'));
    } else {
      if (m.media && MEDIA[m.type]) {
        if (m.type === 'image') {
          const img = el('img', 'image');
          img.alt = m.media.name || 'Photo';
          img.loading = 'lazy';
          img.src = `../api/shared/${encodeURIComponent(token)}/media/${encodeURIComponent(m.media.id)}`;
          item.append(img);
        } else {
          item.append(el('p', 'attachment', `${MEDIA[m.type]}${m.media.name ? `: ${m.media.name}` : ''}`));
        }
      }
      if (m.text) item.append(el('p', 'text', m.text));
      if (m.edited) item.append(el('span', 'edited', 'edited'));
    }
    list.append(item);
  }
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
