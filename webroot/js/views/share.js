// The share dialog: pick a range of the loaded messages and an expiry, get a
// public read-only link (/s/{token}), copy it; list the conversation's links
// with their views and revoke them. A server without sharing says so here.

import { h, clear, toast, formatTime, formatListStamp } from '../dom.js';
import * as api from '../api.js';
import * as store from '../store.js';
import { openDialog } from './dialogs.js';
import { previewText } from './message.js';

const EXPIRY = [
  ['3600', '1 hour'], ['86400', '1 day'], ['604800', '7 days'], ['2592000', '30 days'], ['', 'Never'],
];
const DEFAULT_RANGE = 20; // messages offered by default: the latest ones

export function openShare(convId) {
  openDialog('share', 'Share messages', (body) => {
    const c = store.state.chats.get(convId);
    const messages = (c?.messages || []).filter((m) => m.type !== 'system' && !m.recalled);
    const status = h('p', { class: 'form-error', role: 'alert', testid: 'share-error' });
    const list = h('ul', { class: 'share-list', testid: 'share-list', 'aria-label': 'Links to this conversation' });
    const listStatus = h('p', { class: 'hint', 'aria-live': 'polite' }, 'Loading…');

    const form = h('form', { class: 'stack', testid: 'share-form' });
    if (!messages.length) {
      form.append(h('p', { class: 'hint' }, 'There are no messages to share yet.'));
    } else {
      const option = (m) => h('option', { value: String(m.seq) }, `${stamp(m.createdAt)} · ${clip(previewText(m, { withSender: true }))}`);
      const from = h('select', { id: 'share-from', testid: 'share-from' }, messages.map(option));
      const to = h('select', { id: 'share-to', testid: 'share-to' }, messages.map(option));
      from.value = String(messages[Math.max(0, messages.length - DEFAULT_RANGE)].seq);
      to.value = String(messages[messages.length - 1].seq);
      const expiry = h('select', { id: 'share-expiry', testid: 'share-expiry' },
        EXPIRY.map(([value, label]) => h('option', { value, selected: value === '86400' }, label)));
      const create = h('button', { type: 'submit', class: 'primary', testid: 'share-create' }, 'Create link');
      const result = h('div', { class: 'share-result', hidden: true });
      form.append(
        h('p', { class: 'hint' }, 'Anyone with the link can read the chosen messages, without signing in, until it expires or you revoke it. Scroll up in the chat to offer older messages.'),
        h('label', { for: 'share-from' }, 'From'), from,
        h('label', { for: 'share-to' }, 'To'), to,
        h('label', { for: 'share-expiry' }, 'Link expires after'), expiry,
        status, create, result);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        let fromSeq = Number(from.value);
        let toSeq = Number(to.value);
        if (fromSeq > toSeq) [fromSeq, toSeq] = [toSeq, fromSeq]; // picked backwards: same range
        const req = { fromSeq, toSeq };
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
        clear(list);
        listStatus.textContent = shares.length ? '' : 'No links yet.';
        for (const s of shares) list.append(shareRow(s, () => { loadList(); }));
      } catch (err) {
        listStatus.textContent = unavailable(err) || err.message || 'Could not load the links.';
      }
    };
    body.append(form, h('h3', { class: 'share-heading' }, 'Links'), listStatus, list);
    loadList();
  });
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

function shareRow(share, onRevoked) {
  const expires = share.expiresAt ? `expires ${stamp(share.expiresAt)}` : 'never expires';
  const views = `${share.views || 0} view${share.views === 1 ? '' : 's'}`;
  const revoke = h('button', { type: 'button', class: 'act danger', testid: 'share-revoke', 'aria-label': `Revoke the link to messages ${share.fromSeq}–${share.toSeq}` }, 'Revoke');
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
      h('strong', {}, `Messages ${share.fromSeq}–${share.toSeq}`),
      h('span', { class: 'hint' }, `${expires} · ${views}`),
      link ? h('a', { href: link, target: '_blank', rel: 'noopener noreferrer', class: 'share-url' }, link) : null),
    revoke);
}
