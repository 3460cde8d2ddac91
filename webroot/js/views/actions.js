// What one message offers beyond its toolbar: the phone's action sheet (a
// bottom sheet in the shared dialog), the reaction picker and copying text.

import { h, toast } from '../dom.js';
import { openDialog } from './dialog-shell.js';
import { COMMON_REACTIONS, hasReacted, messageActions, previewText } from './message.js';

/** The bottom sheet of a message: the reaction picker, then its actions as a list. */
export function openActionSheet(msg, ctx) {
  openDialog('actions', clip(previewText(msg, { withSender: true })), (body, close) => {
    const actions = messageActions(msg, ctx).map((action) => h('li', {},
      h('button', { type: 'button', class: 'sheet-action', testid: action.id, onclick: () => { close(); action.run(); } }, action.label)));
    body.append(reactionGrid(msg, ctx, close), h('ul', { class: 'sheet-actions', testid: 'action-sheet' }, actions));
  });
}

/** The common reactions in a small dialog (the toolbar's "more reactions"). */
export function openReactionPicker(msg, ctx) {
  openDialog('react', 'React', (body, close) => body.append(reactionGrid(msg, ctx, close)));
}

/** One toggle per common reaction: pressed when it is already yours (a second press takes it back). */
function reactionGrid(msg, ctx, close) {
  return h('div', { class: 'reaction-picker', role: 'group', 'aria-label': 'Reactions', testid: 'reaction-picker' },
    COMMON_REACTIONS.map((emoji) => {
      const mine = hasReacted(msg, emoji);
      return h('button', {
        type: 'button', class: `pick${mine ? ' mine' : ''}`, testid: 'react-emoji', dataset: { emoji },
        'aria-pressed': String(mine), 'aria-label': mine ? `Remove your ${emoji}` : `React with ${emoji}`,
        onclick: () => { close(); ctx.onReact?.(msg, emoji, !mine); },
      }, emoji);
    }));
}

/** Copy a message's text; where the Clipboard API is missing (plain http off localhost), the old way. */
export async function copyMessageText(msg) {
  const text = msg.text || '';
  try {
    await navigator.clipboard.writeText(text);
    toast('Copied');
  } catch {
    const copied = copyBySelection(text);
    toast(copied ? 'Copied' : 'Could not copy the text', copied ? 'info' : 'error');
  }
}

function copyBySelection(text) {
  const back = document.activeElement;
  const area = h('textarea', { class: 'visually-hidden', readonly: true, 'aria-hidden': 'true' });
  area.value = text;
  document.body.appendChild(area);
  area.select();
  let done = false;
  try { done = document.execCommand('copy'); } catch { done = false; }
  area.remove();
  back?.focus?.();
  return done;
}

const clip = (text) => (text.length > 60 ? `${text.slice(0, 59)}…` : text);
