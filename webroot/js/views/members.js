// Group info dialog: rename, notifications, how long messages are kept
// (owner/admin), member list with roles, add/remove members, change roles
// (owner only), leave. Stays live while open: membership
// system messages make sync reload the members, which re-renders this.

import { h, clear, avatar, toast, keptFor } from '../dom.js';
import * as api from '../api.js';
import * as store from '../store.js';
import * as sync from '../sync.js';
import { openDialog, setTitle } from './dialog-shell.js';
import { userPicker } from './dialogs.js';

const { state } = store;
const ROLE_RANK = { owner: 3, admin: 2, member: 1 };

export function openMembers(convId, { onLeft }) {
  openDialog('members', 'Group info', (body, close) => {
    // Built once; only the member list is re-rendered on live updates, so
    // whatever is being typed (rename, member search) is never thrown away.
    const renameInput = h('input', { id: 'rename-input', testid: 'rename-input', maxlength: '100' });
    const renameForm = h('form', { class: 'row' },
      h('label', { for: 'rename-input', class: 'grow-label' }, 'Group name'), renameInput,
      h('button', { type: 'submit', testid: 'rename' }, 'Rename'));
    renameForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      const title = renameInput.value.trim();
      if (!title) return;
      try {
        store.upsertConversation(await api.renameConversation(convId, title));
        toast('Group renamed');
      } catch (err) { toast(err.message || 'Rename failed', 'error'); }
    });

    // What this member is notified of in the group (the server keeps it, so every device agrees).
    const notifySelect = h('select', { id: 'notify-level', testid: 'notify-level' },
      h('option', { value: 'all' }, 'Every message'),
      h('option', { value: 'mentions' }, 'Only when I am mentioned'),
      h('option', { value: 'nothing' }, 'Nothing'));
    const notifyRow = h('div', { class: 'row' },
      h('label', { for: 'notify-level', class: 'grow-label' }, 'Notify me of'), notifySelect);
    notifySelect.addEventListener('change', async () => {
      const level = notifySelect.value;
      try {
        await api.setNotify(convId, level);
        store.patchConversation(convId, { notify: level });
        toast('Notifications updated');
      } catch (err) {
        toast(err.message || 'Could not change notifications', 'error');
        notifySelect.value = state.conversations.get(convId)?.notify || 'mentions';
      }
    });

    // How long the group keeps its messages: owners and admins choose, everyone sees it.
    const retentionSelect = h('select', { id: 'retention', testid: 'retention' });
    const retentionRow = h('div', { class: 'row' },
      h('label', { for: 'retention', class: 'grow-label' }, 'Keep messages'), retentionSelect);
    retentionSelect.addEventListener('change', async () => {
      const value = retentionSelect.value;
      try {
        store.upsertConversation(await api.setRetention(convId, value === 'default' ? null : Number(value)));
        toast('Message retention updated');
      } catch (err) {
        toast(err.message || 'Could not change how long messages are kept', 'error');
        renderRetention(retentionSelect, state.conversations.get(convId));
      }
    });

    const heading = h('h3', {});
    const list = h('ul', { class: 'member-list', testid: 'member-list' });

    const addSection = h('div', {});
    const addButton = h('button', { type: 'button', testid: 'add-member' }, 'Add member');
    addButton.addEventListener('click', () => {
      const picker = userPicker({
        label: 'Add a member',
        exclude: (u) => !!state.chats.get(convId)?.members?.some((m) => m.user.id === u.id),
        onPick: async (u) => {
          try {
            await api.addMember(convId, u.id);
            toast(`${u.displayName || u.username} added`);
            picker.input.value = '';
            picker.refresh();
            await sync.loadMembers(convId);
          } catch (err) { toast(err.message || 'Could not add', 'error'); }
        },
      });
      addButton.replaceWith(picker.el);
      picker.input.focus();
    });
    addSection.appendChild(addButton);

    const leaveBox = h('div', { class: 'danger-zone' });
    const leave = h('button', { type: 'button', class: 'danger', testid: 'leave' }, 'Leave group');
    leave.addEventListener('click', () => confirmInline(leaveBox, 'Leave this group? You will stop getting its messages.', 'Leave', 'leave-confirm', async () => {
      try {
        await api.removeMember(convId, state.me.id);
        store.removeConversation(convId);
        close();
        onLeft(convId);
      } catch (err) { toast(err.message || 'Could not leave', 'error'); }
    }));
    leaveBox.appendChild(leave);

    body.appendChild(h('div', { class: 'stack' }, renameForm, notifyRow, retentionRow, heading, list, addSection, leaveBox));
    let titleShown = null;

    const render = () => {
      const conv = state.conversations.get(convId);
      if (!conv) { close(); return; }
      setTitle(store.conversationTitle(conv));
      const myRole = conv.myRole || 'member';
      const manager = myRole === 'owner' || myRole === 'admin';
      renameForm.hidden = !manager;
      if (document.activeElement !== notifySelect) notifySelect.value = conv.notify || 'mentions';
      retentionSelect.disabled = !manager;
      if (document.activeElement !== retentionSelect) renderRetention(retentionSelect, conv);
      addSection.hidden = !manager;
      // Follow renames from elsewhere unless the user is editing the box.
      if (conv.title !== titleShown && document.activeElement !== renameInput) {
        renameInput.value = conv.title || '';
        titleShown = conv.title;
      }
      const members = state.chats.get(convId)?.members;
      heading.textContent = `Members (${members ? members.length : conv.memberCount || '…'})`;
      if (list.querySelector('.confirm')) return; // do not pull a question away from under the user
      const focused = list.contains(document.activeElement)
        ? [document.activeElement.closest('[data-user-id]')?.dataset.userId, document.activeElement.dataset.testid] : null;
      clear(list);
      for (const m of members || []) list.appendChild(memberRow(conv, m, myRole));
      if (!members) list.appendChild(h('li', { class: 'hint' }, 'Loading…'));
      if (focused?.[0]) list.querySelector(`[data-user-id="${CSS.escape(focused[0])}"] [data-testid="${focused[1]}"]`)?.focus();
    };

    render();
    sync.loadMembers(convId);
    const offs = [store.on('members', (id) => id === convId && render()), store.on('conversations', render), store.on('users', render)];
    return () => offs.forEach((off) => off());
  });
}

const RETENTION_DAYS = [7, 30, 90, 365];

/** The retention choices, the conversation's own setting (or the server's default) selected. */
function renderRetention(select, conv) {
  if (!conv) return;
  const days = conv.retentionDays ?? 0;
  const own = conv.retentionDefault ? null : days;
  const choices = [0, ...RETENTION_DAYS];
  if (own !== null && !choices.includes(own)) choices.push(own); // set elsewhere (the API) to another number
  clear(select);
  select.appendChild(h('option', { value: 'default', selected: own === null },
    conv.retentionDefault ? `Server default (${keptFor(days)})` : 'Server default'));
  for (const d of choices.sort((a, b) => a - b)) {
    select.appendChild(h('option', { value: String(d), selected: own === d }, d === 0 ? 'Forever' : keptFor(d).replace('for ', '')));
  }
  select.value = own === null ? 'default' : String(own);
}

function memberRow(conv, m, myRole) {
  const u = state.users.get(m.user.id) || m.user;
  const isMe = u.id === state.me?.id;
  const row = h('li', { class: 'member', testid: 'member', dataset: { userId: u.id, role: m.role } },
    h('span', { class: 'avatar-wrap' }, avatar(u), u.online && !isMe ? h('span', { class: 'online-dot', title: 'online' }) : null),
    h('span', { class: 'user-names' }, h('strong', {}, isMe ? `${u.displayName || u.username} (you)` : (u.displayName || u.username)),
      h('span', { class: 'hint' }, `@${u.username}`)));
  const controls = h('span', { class: 'member-controls' });
  if (myRole === 'owner' && !isMe) {
    const id = `role-${u.id}`;
    const select = h('select', { id, testid: 'role-select', 'aria-label': `Role of ${u.displayName || u.username}` },
      ['member', 'admin', 'owner'].map((r) => h('option', { value: r, selected: r === m.role }, r)));
    select.addEventListener('change', () => {
      const role = select.value;
      const apply = async () => {
        try {
          await api.setRole(conv.id, u.id, role);
          await Promise.all([sync.loadMembers(conv.id), sync.refreshConversation(conv.id)]);
        } catch (err) { toast(err.message || 'Could not change the role', 'error'); select.value = m.role; }
      };
      // Handing ownership over cannot be undone by us: ask first.
      if (role === 'owner') {
        confirmInline(controls, `Make ${u.displayName || u.username} the owner? You become an admin.`, 'Hand over', 'owner-confirm', apply, () => { select.value = m.role; });
      } else apply();
    });
    controls.appendChild(select);
  } else {
    controls.appendChild(h('span', { class: `role role-${m.role}`, testid: 'member-role' }, m.role));
  }
  if (!isMe && ROLE_RANK[myRole] > 1 && ROLE_RANK[myRole] > ROLE_RANK[m.role]) {
    controls.appendChild(h('button', {
      type: 'button', class: 'act danger', testid: 'remove-member', 'aria-label': `Remove ${u.displayName || u.username}`,
      onclick: async () => {
        try {
          await api.removeMember(conv.id, u.id);
          await sync.loadMembers(conv.id);
        } catch (err) { toast(err.message || 'Could not remove', 'error'); }
      },
    }, 'Remove'));
  }
  row.appendChild(controls);
  return row;
}

/** A small "Are you sure?" inside the dialog instead of window.confirm (keeps tests and screen readers simple). */
function confirmInline(container, text, label, testid, onYes, onNo) {
  container.querySelector('.confirm')?.remove();
  const box = h('div', { class: 'confirm', role: 'alertdialog', 'aria-label': text },
    h('p', {}, text),
    h('button', { type: 'button', class: 'danger', testid, onclick: () => { box.remove(); onYes(); } }, label),
    h('button', { type: 'button', onclick: () => { box.remove(); onNo?.(); } }, 'Cancel'));
  container.appendChild(box);
  box.querySelector('button').focus();
}
