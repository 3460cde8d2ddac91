// The app's own dialogs: a new direct chat, a new group, message search, and the user picker
// they share. The dialog itself is views/dialog-shell.js.

import { h, clear, avatar, toast, debounce, formatListStamp } from '../dom.js';
import * as api from '../api.js';
import * as store from '../store.js';
import { previewText } from './message.js';
import { openDialog } from './dialog-shell.js';

/**
 * A search box over users with a result list. onPick(user) runs on a click;
 * exclude(user) hides people who are already chosen / members.
 */
export function userPicker({ label, onPick, exclude = () => false, testid = 'user-search' }) {
  const id = `picker-${Math.random().toString(36).slice(2)}`;
  const input = h('input', { id, type: 'search', testid, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none', placeholder: 'Name or username' });
  const results = h('ul', { class: 'user-results', testid: 'user-results', 'aria-label': 'Matching people' });
  const status = h('p', { class: 'hint', 'aria-live': 'polite' });
  let seq = 0;
  const run = debounce(async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) { clear(results); status.textContent = ''; return; }
    try {
      const users = (await api.searchUsers(q)).filter((u) => u.id !== store.state.me?.id && !exclude(u));
      if (mine !== seq) return; // an older, slower answer must not overwrite a newer one
      store.putUsers(users);
      clear(results);
      status.textContent = users.length ? `${users.length} found` : 'Nobody found';
      for (const u of users) {
        results.appendChild(h('li', {}, h('button', {
          type: 'button', class: 'user-row', testid: 'user-result', dataset: { userId: u.id, username: u.username },
          onclick: () => onPick(u),
        }, avatar(u), h('span', { class: 'user-names' }, h('strong', {}, u.displayName || u.username), h('span', { class: 'hint' }, `@${u.username}`)),
        u.bot ? h('span', { class: 'tag' }, 'bot') : null)));
      }
    } catch (e) {
      if (mine === seq) status.textContent = e.message || 'Search failed';
    }
  }, 250);
  input.addEventListener('input', run);
  input.addEventListener('keydown', (e) => {
    // Enter picks the first result: quick keyboard flow.
    if (e.key === 'Enter') { e.preventDefault(); results.querySelector('button')?.click(); }
  });
  return { el: h('div', { class: 'picker' }, h('label', { for: id }, label), input, status, results), input, refresh: run };
}

// ---- new direct chat ------------------------------------------------------------

export function openNewDirect(onOpen) {
  openDialog('direct', 'New chat', (body, close) => {
    let busy = false;
    const picker = userPicker({
      label: 'Find a person',
      onPick: async (user) => {
        if (busy) return;
        busy = true;
        try {
          const conv = await api.createDirect(user.id);
          store.upsertConversation(conv);
          close();
          onOpen(conv.id);
        } catch (e) {
          toast(e.message || 'Could not start the chat', 'error');
        } finally { busy = false; }
      },
    });
    body.appendChild(picker.el);
  });
}

// ---- new group ------------------------------------------------------------------

export function openNewGroup(onOpen) {
  openDialog('group', 'New group', (body, close) => {
    const chosen = new Map();
    const title = h('input', { id: 'group-title', testid: 'group-title', maxlength: '100', required: true, autocomplete: 'off' });
    const chips = h('ul', { class: 'chips', testid: 'group-members', 'aria-label': 'Chosen members' });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const renderChips = () => {
      clear(chips);
      for (const u of chosen.values()) {
        chips.appendChild(h('li', { class: 'chip' }, u.displayName || u.username,
          h('button', { type: 'button', 'aria-label': `Remove ${u.displayName || u.username}`, onclick: () => { chosen.delete(u.id); renderChips(); } }, '×')));
      }
    };
    const picker = userPicker({
      label: 'Add people',
      exclude: (u) => chosen.has(u.id),
      onPick: (u) => { chosen.set(u.id, u); renderChips(); picker.input.value = ''; picker.refresh(); picker.input.focus(); },
    });
    const create = h('button', { type: 'submit', class: 'primary', testid: 'group-create' }, 'Create group');
    const form = h('form', { class: 'stack' },
      h('label', { for: 'group-title' }, 'Group name'), title, chips, picker.el, error, create);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!title.value.trim()) { error.textContent = 'Give the group a name.'; title.focus(); return; }
      create.disabled = true;
      try {
        const conv = await api.createGroup(title.value.trim(), [...chosen.keys()]);
        store.upsertConversation(conv);
        close();
        onOpen(conv.id);
      } catch (err) {
        error.textContent = err.message || 'Could not create the group';
      } finally { create.disabled = false; }
    });
    body.appendChild(form);
  });
}

// ---- message search ---------------------------------------------------------------

export function openSearch({ conversationId, onResult }) {
  openDialog('search', 'Search messages', (body, close) => {
    const input = h('input', { id: 'search-q', type: 'search', testid: 'search-input', autocomplete: 'off', placeholder: 'Words to find' });
    const scope = conversationId
      ? h('input', { id: 'search-scope', type: 'checkbox', checked: true, testid: 'search-scope' }) : null;
    const status = h('p', { class: 'hint', 'aria-live': 'polite' });
    const results = h('ul', { class: 'search-results', testid: 'search-results' });
    let seq = 0;
    const run = debounce(async () => {
      const q = input.value.trim();
      const mine = ++seq;
      if (q.length < 2) { clear(results); status.textContent = q ? 'Type at least two characters.' : ''; return; }
      status.textContent = 'Searching…';
      try {
        const found = await api.searchMessages(q, scope?.checked ? conversationId : undefined);
        if (mine !== seq) return;
        clear(results);
        status.textContent = found.length ? `${found.length} result${found.length === 1 ? '' : 's'}` : 'No messages found';
        for (const m of found) results.appendChild(resultRow(m, () => { close(); onResult(m); }));
      } catch (e) {
        if (mine === seq) status.textContent = e.message || 'Search failed';
      }
    }, 300);
    input.addEventListener('input', run);
    scope?.addEventListener('change', run);
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); run(); } });
    body.appendChild(h('div', { class: 'stack' },
      h('label', { for: 'search-q' }, 'Search'), input,
      scope ? h('label', { class: 'check', for: 'search-scope' }, scope, ' Only this conversation') : null,
      status, results));
  });
}

function resultRow(m, onClick) {
  const conv = store.state.conversations.get(m.conversationId);
  return h('li', {}, h('button', {
    type: 'button', class: 'search-row', testid: 'search-result',
    dataset: { conversationId: m.conversationId, messageId: m.id, seq: m.seq }, onclick: onClick,
  },
  h('span', { class: 'search-top' },
    h('strong', {}, conv ? store.conversationTitle(conv) : 'Conversation'),
    h('span', { class: 'hint' }, formatListStamp(m.createdAt))),
  h('span', { class: 'search-text' }, previewText(m, { withSender: true }))));
}
