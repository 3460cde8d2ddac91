// Users: search, who is online on how many devices, disable and enable, a one-time
// password-reset link, make or drop an admin. Each action answers with the user as it is
// now, and only that row is redrawn.

import { h, clear, toast, debounce, avatar } from '../dom.js';
import * as adminApi from './adminapi.js';
import { table, status, messageOf, confirmButton, copyBox, person, badge, when, ago, moreButton, clientLink } from './ui.js';

const COLUMNS = [
  { label: 'Person', class: 'lead' },
  { label: 'Last seen' },
  { label: 'Devices online', class: 'num' },
  { label: 'Actions', class: 'actions' },
];

let me = null;
let els;
let query = '';
let cursor = null;
let users = [];
let asked = 0;

export function init(self) {
  me = self;
  els = {
    search: document.getElementById('admin-user-search'),
    list: document.getElementById('users-list'),
    status: document.getElementById('users-status'),
    more: document.getElementById('users-more'),
  };
  els.search.addEventListener('input', debounce(() => load(els.search.value.trim()), 250));
  moreButton(els.more, () => page(false));
}

export function show() { return load(els.search.value.trim()); }

async function load(q) {
  query = q;
  cursor = null;
  users = [];
  await page(true);
}

async function page(first) {
  const mine = ++asked;
  try {
    const answer = await adminApi.listUsers(query, first ? undefined : cursor);
    if (mine !== asked) return; // a newer search answered meanwhile
    users = first ? answer.users || [] : users.concat(answer.users || []);
    cursor = answer.nextCursor || null;
    render();
    status(els.status, users.length ? '' : (query ? `Nobody matches “${query}”.` : 'No accounts yet.'));
  } catch (err) {
    if (mine === asked) status(els.status, messageOf(err), 'error');
  }
}

function render() {
  clear(els.list).append(table('Users', COLUMNS, users.map(row)));
  els.more.hidden = !cursor;
}

function replace(user) {
  users = users.map((u) => (u.id === user.id ? { ...u, ...user } : u));
  render();
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
