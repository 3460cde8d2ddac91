// The audit log: every change an admin made, newest first, filtered by an action or a prefix
// such as "user.", a page at a time.

import { h, clear } from '../dom.js';
import * as adminApi from './adminapi.js';
import { table, status, messageOf, when, moreButton, personCell } from './ui.js';

const COLUMNS = [
  { label: 'When', class: 'lead' },
  { label: 'Who' },
  { label: 'Action' },
  { label: 'Target' },
  { label: 'Details' },
  { label: 'From' },
];

let els;
let entries = [];
let cursor = null;
let action = '';

export function init() {
  els = {
    form: document.getElementById('audit-form'),
    filter: document.getElementById('audit-filter'),
    list: document.getElementById('audit-list'),
    status: document.getElementById('audit-status'),
    more: document.getElementById('audit-more'),
  };
  els.form.addEventListener('submit', (e) => { e.preventDefault(); show(); });
  moreButton(els.more, () => page(false));
}

export function show() {
  action = els.filter.value.trim();
  return page(true);
}

async function page(first) {
  try {
    const answer = await adminApi.listAudit(action, first ? undefined : cursor);
    entries = first ? answer.entries || [] : entries.concat(answer.entries || []);
    cursor = answer.nextCursor || null;
    clear(els.list);
    if (entries.length) els.list.append(table('Audit log', COLUMNS, entries.map(row)));
    els.more.hidden = !cursor;
    status(els.status, entries.length ? '' : (action ? `No entries for “${action}”.` : 'Nothing yet.'));
  } catch (err) {
    status(els.status, messageOf(err), 'error');
  }
}

function row(entry) {
  const target = entry.target || {};
  return {
    testid: 'audit-entry',
    dataset: { action: entry.action },
    cells: [
      when(entry.at),
      entry.actor?.username ? `@${entry.actor.username}` : entry.actor?.id || '—',
      h('code', {}, entry.action),
      targetCell(target),
      details(entry.detail),
      entry.clientAddress || '—',
    ],
  };
}

/** A user or bot by name; anything else as its kind and id. */
function targetCell(target) {
  if ((target.type === 'user' || target.type === 'bot') && target.id) return personCell(target.id);
  return target.type ? `${target.type} ${target.id ?? ''}`.trim() : '—';
}

/** {"registration": "invite"} → "registration: invite", as plain text. */
function details(detail) {
  if (!detail || typeof detail !== 'object') return detail == null || detail === '' ? '—' : String(detail);
  if (!Object.keys(detail).length) return '—';
  return h('span', { class: 'admin-detail' }, Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', '));
}
