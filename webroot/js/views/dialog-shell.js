// The one reusable <dialog> every view opens: its body is built when it opens and emptied when
// it closes, so test ids like `user-search` exist only in the dialog on screen. Escape closes it
// (native <dialog> behaviour); focus returns to the opener. It imports no view, so any view may
// use it without a cycle.

import { clear } from '../dom.js';

let dlg;
let bodyEl;
let titleEl;
let cleanup = null;
let opener = null;

export function init() {
  dlg = document.getElementById('dialog');
  bodyEl = document.getElementById('dialog-body');
  titleEl = document.getElementById('dialog-title');
  document.getElementById('dialog-close').addEventListener('click', () => closeDialog());
  dlg.addEventListener('close', () => {
    // The event comes a moment after close(): if another dialog opened meanwhile, it is not ours to clear.
    if (dlg.open) return;
    teardown();
    delete dlg.dataset.kind;
    opener?.focus?.();
    opener = null;
  });
  // Escape always closes, even from a search field (which would otherwise
  // swallow the first Escape to clear itself).
  dlg.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) { e.preventDefault(); closeDialog(); }
  });
  // A click on the backdrop (outside the panel) closes, as people expect.
  dlg.addEventListener('click', (e) => { if (e.target === dlg) closeDialog(); });
}

/** build(body, close) fills the body and may return a cleanup function. */
export function openDialog(kind, title, build) {
  if (dlg.open) {
    teardown();
    dlg.close();
  } else opener = document.activeElement;
  titleEl.textContent = title;
  dlg.dataset.kind = kind;
  dlg.dataset.testid = `dialog-${kind}`;
  cleanup = build(bodyEl, closeDialog) || null;
  dlg.showModal();
  bodyEl.querySelector('input, select, textarea, button')?.focus();
}

function teardown() {
  cleanup?.();
  cleanup = null;
  clear(bodyEl);
}

export function closeDialog() { if (dlg?.open) dlg.close(); }
export const dialogOpen = (kind) => dlg?.open && dlg.dataset.kind === kind;

export function setTitle(title) { titleEl.textContent = title; }
