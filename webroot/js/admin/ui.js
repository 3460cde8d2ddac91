// What the admin page's sections share: a table that becomes cards on a phone, an inline
// confirmation, a link with a copy button, a status line, and the ways of writing times.
// Every piece of server text goes in as text (dom.js's h()), never as HTML.

import { h, clear, toast, debounce } from '../dom.js';
import * as adminApi from './adminapi.js';

/**
 * A table of rows; below 600px wide (admin.css) each row is a card and each cell shows its
 * column's name from data-label. columns: [{label, class?}]; rows: [{testid, dataset, cells}].
 */
export function table(caption, columns, rows) {
  return h('table', { class: 'admin-table' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)))),
    h('tbody', {}, rows.map((row) => h('tr', { testid: row.testid, dataset: row.dataset, class: row.class },
      row.cells.map((cell, i) => h('td', { 'data-label': columns[i].label, class: columns[i].class }, cell))))));
}

/** A line that says what just happened (read out by screen readers: the element is aria-live). */
export function status(el, text, kind = 'info') {
  el.textContent = text;
  el.dataset.kind = kind;
}

/** "Something went wrong" in words a person can act on. */
export function messageOf(err, fallback = 'Something went wrong.') {
  if (err?.status === 0) return 'Cannot reach the server. Check your connection.';
  if (err?.status === 429) return 'Too many attempts. Wait a moment and try again.';
  return sentence(err?.message || fallback);
}

/** "this account is disabled" → "This account is disabled." */
export function sentence(text) {
  const s = String(text || '').trim();
  if (!s) return s;
  const first = s[0].toUpperCase() + s.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/**
 * A button that asks first: a click shows "question [confirm] [Cancel]" in place of the
 * button's group; confirm runs action(), which may throw to show the error.
 */
export function confirmButton({ label, question, confirmLabel, testid, danger = true, action, name }) {
  const wrap = h('span', { class: 'admin-confirm-wrap' });
  const button = h('button', { type: 'button', class: `small${danger ? ' danger' : ''}`, testid, 'aria-label': name }, label);
  wrap.append(button);
  button.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: `small${danger ? ' danger' : ' primary'}`, testid: `${testid}-confirm` }, confirmLabel);
    const no = h('button', { type: 'button', class: 'small', testid: `${testid}-cancel` }, 'Cancel');
    const box = h('span', { class: 'confirm admin-confirm', role: 'group' }, h('p', {}, question), yes, no);
    button.hidden = true;
    wrap.append(box);
    yes.focus();
    no.addEventListener('click', () => { box.remove(); button.hidden = false; button.focus(); });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      no.disabled = true;
      try {
        await action();
      } catch (err) {
        toast(messageOf(err), 'error');
        box.remove();
        button.hidden = false;
      }
    });
  });
  return wrap;
}

/** A read-only field with the link, its copy button, and a line under it. */
export function copyBox({ label, value, testid, note }) {
  const id = `copy-${Math.random().toString(36).slice(2)}`;
  const input = h('input', { id, readonly: true, value, testid: `${testid}-link`, spellcheck: 'false' });
  const copy = h('button', { type: 'button', class: 'small', testid: `${testid}-copy` }, 'Copy');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      toast('Copied');
    } catch {
      // No clipboard API (plain http on a LAN address): leave it selected for Ctrl+C.
      input.focus();
      input.select();
      toast('Press Ctrl+C (⌘C) to copy the selected link');
    }
  });
  return h('div', { class: 'admin-copy stack', testid },
    h('label', { for: id }, label),
    h('div', { class: 'row' }, input, copy),
    note ? h('p', { class: 'hint' }, note) : null);
}

/**
 * A link the server made (<its public url>/#invite=…, /#reset=…) as this browser reaches the
 * client: the server's own when it names another origin (its http.publicUrl), otherwise the
 * client's folder, which knows the sub-path it is served under.
 */
export function clientLink(serverUrl, hash) {
  try {
    if (serverUrl && new URL(serverUrl).origin !== location.origin) return serverUrl;
  } catch { /* not a URL: use ours */ }
  return new URL(`./${hash}`, document.baseURI).href;
}

/** Display name and @username of a user object, on two lines. */
export function person(user, badges = []) {
  if (!user) return h('span', { class: 'hint' }, 'unknown');
  return h('span', { class: 'admin-person' },
    h('span', { class: 'admin-person-name' }, h('span', { class: 'admin-name-text' }, user.displayName || user.username), badges),
    user.username ? h('span', { class: 'hint' }, `@${user.username}`) : null);
}

export function badge(text, kind, testid) {
  return h('span', { class: `admin-badge admin-badge-${kind}`, testid }, text);
}

const names = new Map();
/** A user's profile by id, asked once per page load (creators of shares and invitations). */
export function userById(id) {
  if (!id) return Promise.resolve(null);
  if (!names.has(id)) names.set(id, adminApi.getUser(id).catch(() => null));
  return names.get(id);
}

/** A cell filled with the person once their profile arrives. */
export function personCell(idOrUser) {
  if (idOrUser && typeof idOrUser === 'object') return person(idOrUser);
  const cell = h('span', {}, h('span', { class: 'hint' }, '…'));
  userById(idOrUser).then((u) => clear(cell).append(u ? person(u) : String(idOrUser || 'unknown')));
  return cell;
}

const dateTime = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const dateYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/** "3 Mar, 14:05" this year, "3 Mar 2025" before; the exact time in a <time>'s title. */
export function when(iso, empty = '—') {
  if (!iso) return empty;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return empty;
  const text = d.getFullYear() === new Date().getFullYear() ? dateTime.format(d) : dateYear.format(d);
  return h('time', { datetime: d.toISOString(), title: d.toLocaleString() }, text);
}

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function ago(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  const s = Math.max(0, (Date.now() - d.getTime()) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  const days = Math.floor(s / 86400);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/** 93784 → "1 d 2 h", 7500 → "2 h 5 min", 42 → "42 s". */
export function duration(seconds) {
  const s = Math.max(0, Math.floor(Number(seconds) || 0));
  const d = Math.floor(s / 86400);
  const hr = Math.floor((s % 86400) / 3600);
  const min = Math.floor((s % 3600) / 60);
  if (d) return `${d} d ${hr} h`;
  if (hr) return `${hr} h ${min} min`;
  if (min) return `${min} min`;
  return `${s} s`;
}

export const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Shows or hides a "Load more" button and runs more() on click, one page at a time. */
export function moreButton(button, more) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    try { await more(); } catch (err) { toast(messageOf(err), 'error'); } finally { button.disabled = false; }
  });
}

/**
 * A list found with a search box and read a page at a time: typing searches again (debounced),
 * "Load more" asks for the next page, and only the newest search's answer is shown.
 * fetch(query, cursor) answers {items, nextCursor}; shown(items, query) draws the list.
 * Returns load() (search again with the box's text) and update(fn) (change the items, redraw).
 */
export function searchedPages({ search, more, statusEl, fetch, shown }) {
  let query = '';
  let cursor = null;
  let items = [];
  let asked = 0;
  const draw = () => {
    more.hidden = !cursor;
    shown(items, query);
  };
  async function page(first) {
    const mine = ++asked;
    try {
      const answer = await fetch(query, first ? undefined : cursor);
      if (mine !== asked) return; // a newer search answered meanwhile
      items = first ? answer.items : items.concat(answer.items);
      cursor = answer.nextCursor || null;
      draw();
    } catch (err) {
      if (mine === asked) status(statusEl, messageOf(err), 'error');
    }
  }
  const load = () => {
    query = search.value.trim();
    cursor = null;
    items = [];
    return page(true);
  };
  search.addEventListener('input', debounce(load, 250));
  moreButton(more, () => page(false));
  return { load, update(fn) { items = fn(items); draw(); } };
}
