// The share dialog: pick a range of the loaded messages (by ticking its first
// and last message) and an expiry, get a public read-only link (/s/{token}),
// copy it; list the conversation's links by date and first words, with their
// views, and revoke them. A server without sharing says so here.

import { h, clear, toast, formatTime, formatListStamp } from '../dom.js';
import * as api from '../api.js';
import * as store from '../store.js';
import { openDialog } from './dialog-shell.js';
import { previewText } from './message.js';

const EXPIRY = [
  ['3600', '1 hour'], ['86400', '1 day'], ['604800', '7 days'], ['2592000', '30 days'], ['', 'Never'],
];
const DEFAULT_RANGE = 20; // messages offered by default: the latest ones

/**
 * options.fromSeq: start the range at this message ("share from here" on a
 * message); otherwise the latest messages are chosen.
 */
export function openShare(convId, options = {}) {
  openDialog('share', 'Share messages', (body) => {
    const c = store.state.chats.get(convId);
    const messages = (c?.messages || []).filter((m) => m.type !== 'system' && !m.recalled);
    const status = h('p', { class: 'form-error', role: 'alert', testid: 'share-error' });
    const list = h('ul', { class: 'share-list', testid: 'share-list', 'aria-label': 'Links to this conversation' });
    const listStatus = h('p', { class: 'hint', 'aria-live': 'polite' }, 'Loading…');

    const form = h('form', { class: 'stack', testid: 'share-form' });
    let range = null;
    if (!messages.length) {
      form.append(h('p', { class: 'hint' }, 'There are no messages to share yet.'));
    } else {
      range = rangePicker(messages, options.fromSeq);
      const expiry = h('select', { id: 'share-expiry', testid: 'share-expiry' },
        EXPIRY.map(([value, label]) => h('option', { value, selected: value === '86400' }, label)));
      const create = h('button', { type: 'submit', class: 'primary', testid: 'share-create' }, 'Create link');
      const result = h('div', { class: 'share-result', hidden: true });
      form.append(
        h('p', { class: 'hint' }, 'Anyone with the link can read the chosen messages, without signing in, until it expires or you revoke it. Scroll up in the chat to offer older messages.'),
        range.el,
        h('label', { for: 'share-expiry' }, 'Link expires after'), expiry,
        status, create, result);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const req = { fromSeq: range.from(), toSeq: range.to() };
        if (expiry.value) req.expiresInSeconds = Number(expiry.value);
        create.disabled = true;
        status.textContent = '';
        try {
          const share = await api.createShare(convId, req);
          showResult(result, share);
          loadList();
        } catch (err) {
          status.textContent = unavailable(err) || err.message || 'Could not create the link.';
        } finally { create.disabled = false; }
      });
    }

    const loadList = async () => {
      try {
        const shares = await api.listShares(convId);
        const firsts = await firstMessages(convId, shares);
        clear(list);
        listStatus.textContent = shares.length ? '' : 'No links yet.';
        for (const s of shares) list.append(shareRow(s, firsts.get(s.fromSeq), () => { loadList(); }));
      } catch (err) {
        listStatus.textContent = unavailable(err) || err.message || 'Could not load the links.';
      }
    };
    body.append(form, h('h3', { class: 'share-heading' }, 'Links'), listStatus, list);
    // After the dialog has opened (and focused its first field): show where the range starts.
    if (range) requestAnimationFrame(range.reveal);
    loadList();
  });
}

/**
 * The messages to share, chosen on the messages themselves: a click picks
 * where the range starts, the next click where it ends (either way round);
 * a third click starts again.
 */
function rangePicker(messages, fromSeq) {
  const last = messages[messages.length - 1].seq;
  const start = messages.find((m) => m.seq >= fromSeq) || messages[Math.max(0, messages.length - DEFAULT_RANGE)];
  let from = start.seq;
  let to = last;
  let anchor = null; // the first click of a new range, waiting for the second
  const summary = h('p', { class: 'hint', 'aria-live': 'polite', testid: 'share-summary' });
  const rows = messages.map((m) => {
    const box = h('input', { type: 'checkbox', testid: 'share-pick', dataset: { seq: m.seq } });
    box.addEventListener('change', () => pick(m.seq));
    return h('li', {}, h('label', { class: 'share-pick' }, box,
      h('span', { class: 'share-pick-text' }, h('span', { class: 'hint' }, stamp(m.createdAt)), ' ', clip(previewText(m, { withSender: true })))));
  });
  const listEl = h('ul', { class: 'share-picks', testid: 'share-picks', 'aria-label': 'Messages to share', 'aria-describedby': 'share-pick-help' }, rows);
  const show = () => {
    messages.forEach((m, i) => {
      const box = rows[i].querySelector('input');
      box.checked = m.seq >= from && m.seq <= to;
      rows[i].classList.toggle('anchor', m.seq === anchor);
    });
    const count = messages.filter((m) => m.seq >= from && m.seq <= to).length;
    summary.textContent = anchor === null
      ? `${count} message${count === 1 ? '' : 's'} chosen: ${rangeText(messages, from, to)}`
      : 'Now pick the other end of the range.';
  };
  const pick = (seq) => {
    if (anchor === null) { anchor = seq; from = seq; to = seq; } else {
      from = Math.min(anchor, seq);
      to = Math.max(anchor, seq);
      anchor = null;
    }
    show();
  };
  show();
  return {
    el: h('div', { class: 'stack' },
      h('p', { id: 'share-pick-help', class: 'hint' }, 'Pick the first and the last message to share.'),
      listEl, summary),
    from: () => from,
    to: () => to,
    /** Scroll the list to where the range starts, and put the focus there. */
    reveal: () => {
      const box = rows[messages.indexOf(start)].querySelector('input');
      box.focus({ preventScroll: true });
      box.scrollIntoView({ block: 'nearest' });
    },
  };
}

/** "from 3 Nov 14:05 to 14:30" in words a person recognises. */
function rangeText(messages, from, to) {
  const first = messages.find((m) => m.seq === from);
  const lastOne = messages.find((m) => m.seq === to);
  return first === lastOne ? stamp(first.createdAt) : `${stamp(first.createdAt)} to ${stamp(lastOne.createdAt)}`;
}

/** The first message of every listed share (loaded ones from the chat, the others fetched). */
async function firstMessages(convId, shares) {
  const loaded = store.state.chats.get(convId)?.byId || new Map();
  const bySeq = new Map([...loaded.values()].map((m) => [m.seq, m]));
  const out = new Map();
  await Promise.all(shares.map(async (s) => {
    if (bySeq.has(s.fromSeq)) { out.set(s.fromSeq, bySeq.get(s.fromSeq)); return; }
    try {
      const page = await api.getMessages(convId, { after: s.fromSeq - 1, limit: 1 });
      if (page.messages?.[0]) out.set(s.fromSeq, page.messages[0]);
    } catch { /* labelled by its date only */ }
  }));
  return out;
}

/** 404/405 from a server that has no sharing yet: say that, not "no such path". */
function unavailable(err) {
  const missing = (err.status === 404 && err.message === 'no such path') || err.status === 405;
  return missing ? 'Sharing is not available on this server yet.' : null;
}

/** "14:05" today, "3 Nov 14:05" before. */
function stamp(iso) {
  const day = formatListStamp(iso);
  const time = formatTime(iso);
  return day === time ? time : `${day} ${time}`;
}

const clip = (text) => (text.length > 60 ? `${text.slice(0, 59)}…` : text);

/** The first few words, for a title. */
function firstWords(text) {
  const words = text.split(/\s+/).filter(Boolean);
  return words.length > 6 ? `${words.slice(0, 6).join(' ')}…` : words.join(' ');
}

function showResult(box, share) {
  const link = api.shareLink(share);
  const input = h('input', { id: 'share-link', testid: 'share-link', readonly: true, value: link, 'aria-label': 'Share link' });
  const copy = h('button', { type: 'button', testid: 'share-copy' }, 'Copy link');
  copy.addEventListener('click', () => copyText(input));
  clear(box).append(h('label', { for: 'share-link' }, 'Link'), h('div', { class: 'row' }, input, copy));
  box.hidden = false;
  input.focus();
  input.select();
}

async function copyText(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    toast('Link copied');
  } catch {
    // No clipboard API (plain http on a LAN address): leave it selected for Ctrl+C.
    input.focus();
    input.select();
    toast('Press Ctrl+C (⌘C) to copy the selected link');
  }
}

/** A link, named as people remember it: when its messages start and their first words. */
function shareRow(share, first, onRevoked) {
  const expires = share.expiresAt ? `expires ${stamp(share.expiresAt)}` : 'never expires';
  const views = `${share.views || 0} view${share.views === 1 ? '' : 's'}`;
  const count = share.toSeq - share.fromSeq + 1;
  const title = first ? `${stamp(first.createdAt)} · “${firstWords(previewText(first))}”` : `Shared ${stamp(share.createdAt)}`;
  const revoke = h('button', { type: 'button', class: 'act danger', testid: 'share-revoke', 'aria-label': `Revoke the link ${title}` }, 'Revoke');
  revoke.addEventListener('click', async () => {
    revoke.disabled = true;
    try {
      // Revoking by the share's id works for every listed share (shares made before tokens were
      // listed have none).
      await api.revokeShare(share.token || share.id);
      toast('Link revoked');
      onRevoked();
    } catch (err) {
      revoke.disabled = false;
      toast(unavailable(err) || err.message || 'Could not revoke the link', 'error');
    }
  });
  // The link itself is shown once, when it is made; a listed share has only its id.
  const link = share.token || share.url ? api.shareLink(share) : null;
  return h('li', { class: 'share-item', testid: 'share-item', dataset: { share: share.id || share.token } },
    h('span', { class: 'share-main' },
      h('strong', { testid: 'share-title' }, title),
      h('span', { class: 'hint' }, `${count} message${count === 1 ? '' : 's'} · ${expires} · ${views}`),
      link ? h('a', { href: link, target: '_blank', rel: 'noopener noreferrer', class: 'share-url' }, link) : null),
    revoke);
}
