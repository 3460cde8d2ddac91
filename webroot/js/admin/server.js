// Server: the nodes of the cluster (roles, version, uptime, connections), the store (which
// node, which database, its size, the last backup, "Back up now") and three counters over the
// last hour. Asked again every 10 s while the section is on screen and the tab is visible.

import { h, clear, formatSize } from '../dom.js';
import * as adminApi from './adminapi.js';
import { table, status, messageOf, when, ago, duration, sentence } from './ui.js';
import { lineChart, fmt } from './chart.js';

const REFRESH_MS = 10000;
const COLUMNS = [
  { label: 'Node', class: 'lead' },
  { label: 'Roles' },
  { label: 'Version' },
  { label: 'Up for' },
  { label: 'Connections' },
  { label: 'Last report' },
];

let els;
let timer = 0;
let showing = false;
let database = null;

export function init() {
  els = {
    nodes: document.getElementById('server-nodes'),
    store: document.getElementById('server-store'),
    chart: document.getElementById('server-chart'),
    updated: document.getElementById('server-updated'),
    backup: document.getElementById('backup-now'),
    backupStatus: document.getElementById('backup-status'),
  };
  els.backup.addEventListener('click', backupNow);
  document.addEventListener('visibilitychange', () => { if (showing && !document.hidden) refresh(); });
}

export function show() {
  showing = true;
  return refresh();
}

export function hide() {
  showing = false;
  clearTimeout(timer);
}

async function refresh() {
  clearTimeout(timer);
  try {
    render(await adminApi.getServer());
    status(els.updated, `Updated ${new Date().toLocaleTimeString()}; refreshed every 10 seconds.`);
  } catch (err) {
    status(els.updated, messageOf(err), 'error');
  }
  // Only while someone looks: a hidden tab asks again when it comes back (visibilitychange).
  if (showing && !document.hidden) timer = setTimeout(refresh, REFRESH_MS);
}

function render(server) {
  const nodes = server.nodes || [];
  clear(els.nodes).append(nodes.length ? table('Nodes', COLUMNS, nodes.map(nodeRow))
    : h('p', { class: 'hint' }, 'No node has reported in the last 30 seconds.'));
  renderStore(server.store || {});
  renderSeries(server.series || {});
}

function nodeRow(node) {
  const c = node.connections || {};
  const push = c.push ?? (c.websocket || 0) + (c.sse || 0);
  return {
    testid: 'server-node',
    dataset: { nodeId: node.id },
    cells: [
      h('strong', { testid: 'server-node-id' }, node.id),
      h('span', { class: 'admin-roles', testid: 'server-node-roles' },
        (node.roles || []).map((r) => h('span', { class: 'admin-badge admin-badge-role' }, r))),
      h('span', { testid: 'server-node-version' }, node.version || '?'),
      h('span', { title: node.startedAt ? new Date(node.startedAt).toLocaleString() : '' }, duration(node.uptimeSeconds)),
      h('span', { testid: 'server-node-connections' }, `${push + (c.bridge || 0)} `,
        h('span', { class: 'hint' }, `(${push} WebSocket or SSE, ${c.bridge || 0} bridge)`)),
      node.lastSeenAt ? ago(node.lastSeenAt) : '—',
    ],
  };
}

function renderStore(store) {
  database = store.database || null;
  const backup = store.lastBackup || {};
  const at = backup.at || backup.time;
  let last;
  if (backup.status === 'ok') {
    last = h('span', {}, when(at), ` · ${ago(at)}`, backup.path ? h('span', { class: 'hint admin-path' }, ` ${backup.path}`) : null);
  } else if (backup.status === 'failed') {
    last = h('span', { class: 'form-error' }, `Failed ${backup.failedAt ? ago(backup.failedAt) : ''}: ${backup.error || 'unknown error'}`);
  } else if (backup.status === 'unknown') {
    last = h('span', { class: 'hint' }, 'Not tracked on PostgreSQL: back it up with pg_dump or point-in-time recovery.');
  } else {
    last = h('span', { class: 'hint' }, 'None yet.');
  }
  const schedule = backup.scheduled === true ? 'On a schedule' : backup.scheduled === false ? 'Not scheduled' : null;
  clear(els.store).append(h('dl', { class: 'admin-facts' },
    h('dt', {}, 'Node'), h('dd', { testid: 'store-node' }, store.node || '—'),
    h('dt', {}, 'Database'), h('dd', { testid: 'store-database' }, store.database || '—'),
    h('dt', {}, 'Size'), h('dd', { testid: 'store-size' }, store.sizeBytes != null ? formatSize(store.sizeBytes) : '—'),
    h('dt', {}, 'Last backup'), h('dd', { testid: 'store-last-backup', dataset: { status: backup.status || 'none' } }, last),
    schedule ? [h('dt', {}, 'Backups'), h('dd', {}, schedule, backup.dir ? h('span', { class: 'hint admin-path' }, ` into ${backup.dir}`) : null)]
      : null));
  const postgres = database === 'postgresql';
  els.backup.disabled = postgres;
  els.backup.title = postgres ? 'Back PostgreSQL up with pg_dump or point-in-time recovery' : '';
}

function renderSeries(series) {
  const interval = series.intervalSeconds || 60;
  const latest = interval === 60 ? 'in the last minute' : `in the last ${interval} s`;
  const sum = (values) => (values || []).reduce((a, v) => a + (Number(v) || 0), 0);
  const last = (values) => (values?.length ? values[values.length - 1] : 0);
  const peak = (values) => (values?.length ? Math.max(...values) : 0);
  const counted = (values) => `${fmt(sum(values))} in the hour · ${fmt(last(values))} ${latest}`;
  clear(els.chart).append(
    lineChart({ key: 'messagesStored', title: 'Messages stored', values: series.messagesStored, intervalSeconds: interval,
      summary: counted(series.messagesStored) }),
    lineChart({ key: 'connections', title: 'Open connections', values: series.connections, intervalSeconds: interval,
      summary: `${fmt(last(series.connections))} now · at most ${fmt(peak(series.connections))}` }),
    lineChart({ key: 'httpRequests', title: 'HTTP requests', values: series.httpRequests, intervalSeconds: interval,
      summary: counted(series.httpRequests) }));
}

async function backupNow() {
  els.backup.disabled = true;
  status(els.backupStatus, 'Backing up…');
  try {
    const b = await adminApi.backupNow();
    status(els.backupStatus, `Backup made in ${fmt(b.millis)} ms: ${b.path} (${formatSize(b.bytes)}).`);
    await refresh();
  } catch (err) {
    status(els.backupStatus, sentence(messageOf(err)), 'error');
  } finally {
    els.backup.disabled = database === 'postgresql';
  }
}
