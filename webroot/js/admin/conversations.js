// Conversations: every conversation of the server by the name it shows, to find one and export
// it (an admin may export any, and the audit log says so when they are not a member). The admin
// sees names and members, never a message, until they export.

import { h, clear, toast } from '../dom.js';
import { apiUrl, createExport } from '../api.js';
import * as adminApi from './adminapi.js';
import { table, status, messageOf, when, searchedPages } from './ui.js';

const COLUMNS = [
  { label: 'Conversation', class: 'lead' },
  { label: 'Members' },
  { label: 'Messages', class: 'num' },
  { label: 'Started' },
  { label: 'Actions', class: 'actions' },
];

let els;
let list;

export function init() {
  els = {
    list: document.getElementById('conversations-list'),
    status: document.getElementById('conversations-status'),
  };
  list = searchedPages({
    search: document.getElementById('admin-conversation-search'),
    more: document.getElementById('conversations-more'),
    statusEl: els.status,
    fetch: async (q, cursor) => {
      const answer = await adminApi.listConversations(q, cursor);
      return { items: answer.conversations || [], nextCursor: answer.nextCursor };
    },
    shown: (conversations, q) => {
      clear(els.list);
      if (conversations.length) els.list.append(table('Conversations', COLUMNS, conversations.map(row)));
      status(els.status, conversations.length ? '' : q ? 'No conversation matches.' : 'No conversations yet.');
    },
  });
}

export function show() { return list.load(); }

function row(conversation) {
  const names = conversation.members.map((m) => m.displayName || m.username);
  const more = conversation.memberCount - names.length;
  const exportButton = h('button', {
    type: 'button', class: 'small', testid: 'admin-conversation-export',
    'aria-label': `Export ${conversation.name}`,
  }, 'Export');
  exportButton.addEventListener('click', async () => {
    exportButton.disabled = true;
    try {
      // A one-time link, so the browser saves the archive as it streams (see views/export.js).
      const link = await createExport(conversation.id, {});
      const a = h('a', { href: apiUrl(`api/exports/${encodeURIComponent(link.ticket)}`).href, download: '', hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      toast('Export started; the audit log records it');
    } catch (err) {
      toast(messageOf(err, 'The export could not be started.'), 'error');
    } finally {
      exportButton.disabled = false;
    }
  });
  return {
    testid: 'admin-conversation',
    dataset: { conversationId: conversation.id },
    cells: [
      h('span', { class: 'admin-person' },
        h('span', { class: 'admin-person-name', testid: 'admin-conversation-name' }, conversation.name || 'Untitled'),
        h('span', { class: 'hint' }, conversation.type === 'group' ? 'Group' : 'Direct chat')),
      `${names.join(', ')}${more > 0 ? ` and ${more} more` : ''} (${conversation.memberCount})`,
      String(conversation.lastSeq),
      when(conversation.createdAt),
      exportButton,
    ],
  };
}
