// Bots: every bot of the server with its owner; revoking one stops its token and closes its
// bridge connections, as its owner could.

import { h, clear, toast, avatar } from '../dom.js';
import * as adminApi from './adminapi.js';
import { table, status, messageOf, confirmButton, person, badge, when } from './ui.js';

const COLUMNS = [
  { label: 'Bot', class: 'lead' },
  { label: 'Owner' },
  { label: 'Made' },
  { label: 'Actions', class: 'actions' },
];

let els;

export function init() {
  els = { list: document.getElementById('bots-list'), status: document.getElementById('bots-status') };
}

export async function show() {
  try {
    const bots = await adminApi.listBots();
    clear(els.list);
    if (bots.length) els.list.append(table('Bots', COLUMNS, bots.map(row)));
    status(els.status, bots.length ? '' : 'No bots on this server.');
  } catch (err) {
    status(els.status, messageOf(err), 'error');
  }
}

function row(bot) {
  const name = bot.displayName || bot.username;
  return {
    testid: 'admin-bot',
    class: bot.disabled || bot.revoked ? 'is-disabled' : null,
    dataset: { botId: bot.id, username: bot.username, revoked: String(!!bot.revoked) },
    cells: [
      h('span', { class: 'admin-who' }, avatar(bot), person(bot, [
        bot.revoked ? badge('Revoked', 'disabled', 'bot-revoked-badge') : null,
        bot.disabled ? badge('Disabled', 'disabled') : null,
      ])),
      bot.owner ? person(bot.owner) : h('span', { class: 'hint' }, 'no owner any more'),
      when(bot.createdAt),
      bot.revoked ? h('span', { class: 'hint' }, 'Its token no longer works') : confirmButton({
        label: 'Revoke', testid: 'bot-revoke', name: `Revoke the bot ${name}`,
        question: `Revoke ${name}? Its token stops working at once.`, confirmLabel: 'Revoke',
        action: async () => { await adminApi.revokeBot(bot.id); toast(`${name} is revoked`); await show(); },
      }),
    ],
  };
}
