// Conversations: every conversation of the server by the name it shows, to find one and export
// it (an admin may export any, and the audit log says so when they are not a member). The admin
// sees names and members, never a message, until they export.

import { h, clear, toast, debounce } from '../dom.js';
import { apiUrl, createExport } from '../api.js';
import * as adminApi from './adminapi.js';
import { table, status, messageOf, when, moreButton } from './ui.js';

const COLUMNS = [
  { label: 'Conversation', class: 'lead' },
  { label: 'Members' },
  { label: 'Messages', class: 'num' },
  { label: 'Started' },
  { label: 'Actions', class: 'actions' },
];

let els;
let query = '';
let cursor = null;
let conversations = [];
let asked = 0;

export function init() {
  els = {
    search: document.getElementById('admin-conversation-search'),
    list: document.getElementById('conversations-list'),
    status: document.getElementById('conversations-status'),
    more: document.getElementById('conversations-more'),
  };
  els.search.addEventListener('input', debounce(() => load(els.search.value.trim()), 250));
  moreButton(els.more, () => page(false));
}

export function show() { return load(els.search.value.trim()); }

async function load(q) {
  query = q;
  cursor = null;
  conversations = [];
  await page(true);
}

async function page(first) {
  const mine = ++asked;
  try {
    const answer = await adminApi.listConversations(query, first ? undefined : cursor);
    if (mine !== asked) return;
    conversations = first ? answer.conversations || [] : conversations.concat(answer.conversations || []);
    cursor = answer.nextCursor || null;
    render();
  } catch (err) {
    if (mine === asked) status(els.status, messageOf(err), 'error');
  }
}

function render() {
  clear(els.list);
  if (conversations.length) els.list.append(table('Conversations', COLUMNS, conversations.map(row)));
  els.more.hidden = !cursor;
  status(els.status, conversations.length ? '' : query ? 'No conversation matches.' : 'No conversations yet.');
}

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
