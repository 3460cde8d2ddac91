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
    class: bot.disabled ? 'is-disabled' : null,
    dataset: { botId: bot.id, username: bot.username },
    cells: [
      h('span', { class: 'admin-who' }, avatar(bot), person(bot, bot.disabled ? [badge('Disabled', 'disabled')] : [])),
      person(bot.owner),
      when(bot.createdAt),
      confirmButton({
        label: 'Revoke', testid: 'bot-revoke', name: `Revoke the bot ${name}`,
        question: `Revoke ${name}? Its token stops working at once.`, confirmLabel: 'Revoke',
        action: async () => { await adminApi.revokeBot(bot.id); toast(`${name} is revoked`); await show(); },
      }),
    ],
  };
}
