// Users: search, who is online on how many devices, disable and enable, a one-time
// password-reset link, make or drop an admin. Each action answers with the user as it is
// now, and only that row is redrawn.

import { h, clear, toast, avatar } from '../dom.js';
import * as adminApi from './adminapi.js';
import { table, status, messageOf, confirmButton, copyBox, person, badge, when, ago, clientLink, searchedPages } from './ui.js';

const COLUMNS = [
  { label: 'Person', class: 'lead' },
  { label: 'Last seen' },
  { label: 'Devices online', class: 'num' },
  { label: 'Actions', class: 'actions' },
];

let me = null;
let els;
let list;

export function init(self) {
  me = self;
  els = {
    list: document.getElementById('users-list'),
    status: document.getElementById('users-status'),
  };
  list = searchedPages({
    search: document.getElementById('admin-user-search'),
    more: document.getElementById('users-more'),
    statusEl: els.status,
    fetch: async (q, cursor) => {
      const answer = await adminApi.listUsers(q, cursor);
      return { items: answer.users || [], nextCursor: answer.nextCursor };
    },
    shown: (users, q) => {
      clear(els.list).append(table('Users', COLUMNS, users.map(row)));
      status(els.status, users.length ? '' : (q ? `Nobody matches “${q}”.` : 'No accounts yet.'));
    },
  });
}

export function show() { return list.load(); }

function replace(user) {
  list.update((users) => users.map((u) => (u.id === user.id ? { ...u, ...user } : u)));
}

function row(u) {
  const badges = [
    u.admin ? badge('Admin', 'admin', 'user-admin-badge') : null,
    u.bot ? badge('Bot', 'bot') : null,
    u.disabled ? badge('Disabled', 'disabled', 'user-disabled-badge') : null,
    u.id === me.id ? badge('You', 'you') : null,
  ];
  const seen = u.online ? h('span', { class: 'admin-online' }, 'Online now')
    : u.lastSeenAt ? h('span', {}, when(u.lastSeenAt), h('span', { class: 'hint' }, ` · ${ago(u.lastSeenAt)}`))
      : h('span', { class: 'hint' }, 'Never');
  const result = h('div', { class: 'admin-row-result' });
  return {
    testid: 'admin-user',
    class: u.disabled ? 'is-disabled' : null,
    dataset: { userId: u.id, username: u.username, disabled: String(!!u.disabled), admin: String(!!u.admin) },
    cells: [
      h('span', { class: 'admin-who' }, avatar(u), person(u, badges)),
      seen,
      h('span', { testid: 'user-devices' }, String(u.devices ?? 0)),
      h('div', { class: 'admin-actions' }, actions(u, result), result),
    ],
  };
}

function actions(u, result) {
  const out = [];
  const name = u.displayName || u.username;
  if (u.id !== me.id) {
    if (u.disabled) {
      out.push(confirmButton({
        label: 'Enable', testid: 'user-enable', danger: false, name: `Enable ${name}`,
        question: `Let ${name} sign in again?`, confirmLabel: 'Enable',
        action: async () => { replace(await adminApi.enableUser(u.id)); toast(`${name} can sign in again`); },
      }));
    } else {
      out.push(confirmButton({
        label: 'Disable', testid: 'user-disable', name: `Disable ${name}`,
        question: `Disable ${name}? They are signed out on every device and cannot sign in until enabled again.`,
        confirmLabel: 'Disable',
        action: async () => { replace(await adminApi.disableUser(u.id)); toast(`${name} is disabled`); },
      }));
    }
  }
  if (!u.bot) {
    const reset = h('button', { type: 'button', class: 'small', testid: 'user-reset', 'aria-label': `Reset password of ${name}` },
      'Reset password');
    reset.addEventListener('click', async () => {
      reset.disabled = true;
      try {
        const link = await adminApi.resetPassword(u.id);
        clear(result).append(copyBox({
          label: `One-time link for ${name}`, value: resetLink(link.url), testid: 'user-reset',
          note: h('span', {}, 'Give it to them yourself (it works once, until ', when(link.expiresAt),
            '). Their password stays until they use it; an earlier link stops working.'),
        }));
        result.querySelector('input').select();
      } catch (err) {
        toast(messageOf(err), 'error');
      } finally {
        reset.disabled = false;
      }
    });
    out.push(reset);
    if (u.admin) {
      if (u.id !== me.id) {
        out.push(confirmButton({
          label: 'Drop admin', testid: 'user-drop-admin', name: `Drop admin: ${name}`,
          question: `${name} stops being an administrator?`, confirmLabel: 'Drop admin',
          action: async () => { replace(await adminApi.setAdmin(u.id, false)); toast(`${name} is no longer an admin`); },
        }));
      }
    } else {
      out.push(confirmButton({
        label: 'Make admin', testid: 'user-make-admin', danger: false, name: `Make admin: ${name}`,
        question: `Make ${name} an administrator of the whole server?`, confirmLabel: 'Make admin',
        action: async () => { replace(await adminApi.setAdmin(u.id, true)); toast(`${name} is an admin now`); },
      }));
    }
  }
  return out;
}

/** The server's reset link, as this browser reaches the client (see clientLink). */
function resetLink(url) {
  const token = /#reset=([^&]+)$/.exec(url || '')?.[1];
  return token ? clientLink(url, `#reset=${token}`) : url;
}
