// Shares: the live share links of the whole server, newest first, and revoking one. The
// admin sees a share's conversation title, range and creator, not its messages.

import { h, clear, toast } from '../dom.js';
import { shareLink } from '../api.js';
import * as adminApi from './adminapi.js';
import { table, status, messageOf, confirmButton, personCell, when, moreButton } from './ui.js';

const COLUMNS = [
  { label: 'Conversation', class: 'lead' },
  { label: 'Messages' },
  { label: 'Made by' },
  { label: 'Made' },
  { label: 'Expires' },
  { label: 'Views', class: 'num' },
  { label: 'Actions', class: 'actions' },
];

let els;
let shares = [];
let cursor = null;

export function init() {
  els = {
    list: document.getElementById('shares-list'),
    status: document.getElementById('shares-status'),
    more: document.getElementById('shares-more'),
  };
  moreButton(els.more, () => page(false));
}

export function show() { return page(true); }

async function page(first) {
  try {
    const answer = await adminApi.listShares(first ? undefined : cursor);
    shares = first ? answer.shares || [] : shares.concat(answer.shares || []);
    cursor = answer.nextCursor || null;
    render();
  } catch (err) {
    status(els.status, messageOf(err), 'error');
  }
}

function render() {
  clear(els.list);
  if (shares.length) els.list.append(table('Live shares', COLUMNS, shares.map(row)));
  els.more.hidden = !cursor;
  status(els.status, shares.length ? '' : 'No live share links.');
}

function row(share) {
  const title = share.conversationTitle || 'Direct chat';
  const count = share.toSeq - share.fromSeq + 1;
  const link = share.token || share.url ? shareLink(share) : null;
  return {
    testid: 'admin-share',
    dataset: { shareId: share.id, conversationId: share.conversationId },
    cells: [
      h('span', { class: 'admin-person' },
        h('span', { class: 'admin-person-name', testid: 'admin-share-title' }, title),
        link ? h('a', { href: link, target: '_blank', rel: 'noopener noreferrer', class: 'share-url', testid: 'admin-share-link' }, link)
          : null),
      `${count}, nos. ${share.fromSeq}–${share.toSeq}`,
      personCell(share.creatorId),
      when(share.createdAt),
      when(share.expiresAt, 'Never'),
      String(share.views ?? 0),
      confirmButton({
        label: 'Revoke', testid: 'admin-share-revoke', name: `Revoke the share of ${title}`,
        question: 'Revoke this link? Whoever holds it sees “not found” from now on.', confirmLabel: 'Revoke',
        action: async () => {
          await adminApi.revokeShare(share.id);
          shares = shares.filter((s) => s.id !== share.id);
          render();
          toast('Link revoked');
        },
      }),
    ],
  };
}
