// Registration: open, closed or by invitation, and the invitation links themselves. A new
// link's code is shown only once, right after it is made (the server keeps only its hash).

import { h, clear, toast } from '../dom.js';
import * as adminApi from './adminapi.js';
import { table, status, messageOf, confirmButton, copyBox, personCell, when, plural, clientLink } from './ui.js';

const COLUMNS = [
  { label: 'Made by' },
  { label: 'Made' },
  { label: 'Expires' },
  { label: 'Used', class: 'num' },
  { label: 'Actions', class: 'actions' },
];

let els;

export function init() {
  els = {
    form: document.getElementById('registration-form'),
    status: document.getElementById('registration-status'),
    inviteForm: document.getElementById('invite-form'),
    uses: document.getElementById('invite-uses'),
    expiry: document.getElementById('invite-expiry'),
    result: document.getElementById('invite-result'),
    inviteStatus: document.getElementById('invite-status'),
    list: document.getElementById('invitations-list'),
  };
  els.form.addEventListener('submit', save);
  els.inviteForm.addEventListener('submit', invite);
}

export async function show() {
  await Promise.all([loadSettings(), loadInvitations()]);
}

async function loadSettings() {
  try {
    const settings = await adminApi.getSettings();
    for (const radio of els.form.elements.registration) radio.checked = radio.value === settings.registration;
    status(els.status, '');
  } catch (err) {
    status(els.status, messageOf(err), 'error');
  }
}

async function save(e) {
  e.preventDefault();
  const registration = els.form.elements.registration.value;
  if (!registration) return;
  const button = els.form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const saved = await adminApi.putSettings({ registration });
    status(els.status, `Saved: registration is ${label(saved?.registration || registration)}.`);
  } catch (err) {
    status(els.status, messageOf(err), 'error');
  } finally {
    button.disabled = false;
  }
}

const label = (mode) => ({ open: 'open', closed: 'closed', invite: 'by invitation' }[mode] || mode);

async function invite(e) {
  e.preventDefault();
  const maxUses = Number(els.uses.value);
  if (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > 1000) {
    els.uses.setAttribute('aria-invalid', 'true');
    els.uses.focus();
    status(els.inviteStatus, 'An invitation creates 1 to 1000 accounts.', 'error');
    return;
  }
  els.uses.removeAttribute('aria-invalid');
  const button = els.inviteForm.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const made = await adminApi.createInvitation(maxUses, Number(els.expiry.value));
    const link = clientLink(made.url, `#invite=${encodeURIComponent(made.code)}`);
    clear(els.result).append(copyBox({
      label: 'Invitation link', value: link, testid: 'invite',
      note: h('span', {}, `Shown only now. It creates ${plural(made.invitation.maxUses, 'account')} until `,
        when(made.invitation.expiresAt), '.'),
    }));
    els.result.hidden = false;
    els.result.querySelector('input').select();
    status(els.inviteStatus, 'Invitation made.');
    await loadInvitations();
  } catch (err) {
    status(els.inviteStatus, messageOf(err), 'error');
  } finally {
    button.disabled = false;
  }
}

async function loadInvitations() {
  try {
    const invitations = await adminApi.listInvitations();
    clear(els.list).append(invitations.length
      ? table('Live invitations', COLUMNS, invitations.map(row))
      : h('p', { class: 'hint', testid: 'invitations-empty' }, 'No live invitations.'));
  } catch (err) {
    clear(els.list).append(h('p', { class: 'form-error' }, messageOf(err)));
  }
}

function row(inv) {
  return {
    testid: 'invitation',
    dataset: { invitationId: inv.id },
    cells: [
      personCell(inv.createdBy),
      when(inv.createdAt),
      when(inv.expiresAt),
      `${inv.uses ?? 0} of ${inv.maxUses}`,
      confirmButton({
        label: 'Revoke', testid: 'invitation-revoke', name: 'Revoke this invitation',
        question: 'Revoke this invitation? Its link stops working.', confirmLabel: 'Revoke',
        action: async () => { await adminApi.revokeInvitation(inv.id); toast('Invitation revoked'); await loadInvitations(); },
      }),
    ],
  };
}
