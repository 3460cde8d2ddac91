// Tiny DOM helpers. Every piece of user text goes through textContent or
// createTextNode here: there is deliberately no way to pass HTML in, so a
// message can never become markup (the CSP is the second line of defence).

/**
 * h('button', {class: 'x', testid: 'send', onclick: fn, attrs...}, child, ...)
 * Children may be nodes, strings (become text nodes), arrays, null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'testid') el.dataset.testid = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const byTestId = (id, root = document) => root.querySelector(`[data-testid="${id}"]`);

/** Up to two letters for an avatar: "Ada Lovelace" → "AL", "bob" → "B". */
export function initials(name) {
  // First letter or digit of the first and last word that has one ("<b>" has none).
  const firsts = String(name || '').split(/\s+/).map((w) => w.match(/[\p{L}\p{N}]/u)?.[0]).filter(Boolean);
  const letters = firsts.length > 1 ? [firsts[0], firsts[firsts.length - 1]] : firsts;
  return letters.join('').toUpperCase() || '?';
}

/** A colour derived from the id so the same person keeps the same avatar colour. */
export function avatar(user, extraClass = '') {
  const id = String(user?.id || user?.username || '');
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  const el = h('span', { class: `avatar ${extraClass}`.trim(), 'aria-hidden': 'true' },
    initials(user?.displayName || user?.username));
  el.dataset.hue = String(hash % 8); // CSS maps 0..7 to accessible colours
  return el;
}

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const shortDayFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

export function formatTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : timeFmt.format(d);
}

export function dayKey(iso) {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function formatDay(iso) {
  const d = new Date(iso);
  const today = new Date();
  const yesterday = new Date(Date.now() - 86400000);
  if (dayKey(d) === dayKey(today)) return 'Today';
  if (dayKey(d) === dayKey(yesterday)) return 'Yesterday';
  return dayFmt.format(d);
}

/** Compact stamp for the conversation list: time today, otherwise the date. */
export function formatListStamp(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return dayKey(d) === dayKey(new Date()) ? timeFmt.format(d) : shortDayFmt.format(d);
}

/** "1.2 MB" */
export function formatSize(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** "0:07", "12:30" */
export function formatDuration(ms) {
  const s = Math.max(0, Math.round((Number(ms) || 0) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** How long messages are kept: "forever", "for 1 day", "for 30 days". */
export function keptFor(days) {
  return !days ? 'forever' : days === 1 ? 'for 1 day' : `for ${days} days`;
}

/** "Alice added Bob", "Bob left" … for a system message; nameOf(userId) gives display names. */
export function systemText(msg, nameOf) {
  const s = msg.system || {};
  const who = nameOf(s.userId);
  const by = nameOf(s.by || s.userId);
  switch (s.action) {
    case 'created': return `${by} created the group`;
    case 'joined': return s.by && s.by !== s.userId ? `${by} added ${who}` : `${who} joined`;
    case 'left': return `${who} left`;
    case 'removed': return `${by} removed ${who}`;
    case 'renamed': return msg.text ? `${by} renamed the group to “${msg.text}”` : `${by} renamed the group`;
    case 'retention': return `${by} set messages to be kept ${keptFor(s.retentionDays)}${s.retentionDefault ? ' (the server’s default)' : ''}`;
    default: return msg.text || 'Conversation updated';
  }
}

/**
 * Split text into text nodes, @mention spans and safe links. Links only for
 * http(s) URLs, opened without an opener; everything else stays plain text.
 */
export function richText(text, mentionNames) {
  const out = [];
  const re = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])|(@[a-z0-9_.-]+)/gi;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1]) {
      let href = null;
      try { const u = new URL(m[1]); if (u.protocol === 'http:' || u.protocol === 'https:') href = u.href; } catch { /* not a URL */ }
      out.push(href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer nofollow' }, m[1]) : m[1]);
    } else if (mentionNames.has(m[2].slice(1).toLowerCase())) {
      out.push(h('span', { class: 'mention' }, m[2]));
    } else {
      out.push(m[2]);
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

let toastTimer = 0;
/** Short, non-blocking notice; read out by screen readers through aria-live. */
export function toast(text, kind = 'info') {
  const el = document.getElementById('toast');
  if (!el) return;
  // A modal dialog sits in the top layer, above everything else: show the
  // notice inside it so it is not hidden behind the backdrop.
  const host = document.querySelector('dialog[open]') || document.body;
  if (el.parentNode !== host) host.appendChild(el);
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

export function debounce(fn, ms) {
  let t = 0;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}
