// Keyboard and touch access to the messages of the chat pane. The list is
// one Tab stop: a roving focus on its messages (the current one has
// tabindex 0, every other -1), moved with the arrow keys, Home and End.
// Enter, the context-menu key or Shift+F10 open a message's actions; Escape
// closes them and gives the focus back to the message. A long press (touch)
// opens them too.

import { setInsideTabbable } from './message.js';

/**
 * A wide screen with a mouse (or only a keyboard): a message's actions are its
 * floating toolbar. A phone or a touch screen gets the action sheet. Same
 * query as app.css.
 */
export const desktopActions = window.matchMedia('(min-width: 768px) and (pointer: fine), (min-width: 768px) and (pointer: none)');
const LONG_PRESS_MS = 500;
const MOVE_TOLERANCE_PX = 10;

let list = null;
let openActions = () => {};
let currentKey = null;

const messages = () => [...list.querySelectorAll(':scope > [data-testid="message"]')];
const messageOf = (node) => node?.closest?.('[data-testid="message"]');

/** onOpen(messageElement) shows the actions of that message (toolbar or sheet). */
export function attach(listEl, { onOpen }) {
  list = listEl;
  openActions = onOpen;
  list.addEventListener('keydown', onKeydown);
  list.addEventListener('focusin', (e) => { const m = messageOf(e.target); if (m) makeCurrent(m); });
  list.addEventListener('focusout', (e) => {
    const open = list.querySelector(':scope > .msg.open');
    if (open && !open.contains(e.relatedTarget)) closeToolbar(open);
  });
  watchLongPress();
}

/** A new conversation: its last message becomes the Tab stop. */
export function reset() { currentKey = null; }

/**
 * After a render: exactly one message is the Tab stop, and a focused message
 * that was rebuilt (a reaction changed it) keeps the focus.
 */
export function afterRender({ hadFocus }) {
  const all = messages();
  const current = all.find((m) => m.dataset.key === currentKey) || all[all.length - 1];
  if (!current) return;
  makeCurrent(current);
  if (hadFocus && !list.contains(document.activeElement)) current.focus({ preventScroll: true });
}

/**
 * While the focus is elsewhere, the Tab stop follows the scrolling: Tab
 * lands on the newest message in view, not on one far away (which would
 * scroll the reader off their place).
 */
export function followView() {
  if (list.contains(document.activeElement)) return;
  const box = list.getBoundingClientRect();
  const inView = messages().filter((m) => {
    const r = m.getBoundingClientRect();
    return r.top >= box.top && r.bottom <= box.bottom;
  });
  if (inView.length) makeCurrent(inView[inView.length - 1]);
}

function makeCurrent(el) {
  if (el.dataset.key === currentKey && el.tabIndex === 0) return;
  for (const m of list.querySelectorAll(':scope > [data-testid="message"][tabindex="0"]')) m.tabIndex = -1;
  el.tabIndex = 0;
  currentKey = el.dataset.key;
}

/** Shows a message's toolbar and puts its controls into the Tab order; focus goes to the first. */
export function openToolbar(el) {
  el.classList.add('open');
  setInsideTabbable(el, true);
  el.querySelector('.toolbar button')?.focus();
}

function closeToolbar(el) {
  el.classList.remove('open');
  setInsideTabbable(el, false);
}

function onKeydown(e) {
  const el = messageOf(e.target);
  if (!el) return;
  if (e.target === el) onMessageKey(e, el);
  else if (e.key === 'Escape') {
    e.preventDefault();
    closeToolbar(el);
    el.focus();
  } else if (e.target.closest('.toolbar') && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
    e.preventDefault();
    moveAlongToolbar(e.target, e.key === 'ArrowRight' ? 1 : -1);
  }
}

function onMessageKey(e, el) {
  const all = messages();
  const i = all.indexOf(el);
  const go = (j) => { e.preventDefault(); all[Math.max(0, Math.min(all.length - 1, j))]?.focus(); };
  if (e.key === 'ArrowDown') go(i + 1);
  else if (e.key === 'ArrowUp') go(i - 1);
  else if (e.key === 'Home') go(0);
  else if (e.key === 'End') go(all.length - 1);
  else if (e.key === 'Enter' || e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
    e.preventDefault();
    openActions(el);
  }
}

function moveAlongToolbar(button, step) {
  const buttons = [...button.closest('.toolbar').querySelectorAll('button')];
  const next = buttons[(buttons.indexOf(button) + step + buttons.length) % buttons.length];
  next.focus();
}

/**
 * Press and hold a message for its actions. Moving (a scroll) or lifting the
 * finger early cancels; the click that ends a long press does nothing else.
 */
function watchLongPress() {
  let timer = 0;
  let start = null;
  let fired = false;
  const cancel = () => { clearTimeout(timer); start = null; };
  list.addEventListener('pointerdown', (e) => {
    const el = messageOf(e.target);
    fired = false;
    if (!el || e.button !== 0 || !el.querySelector('.toolbar')) return;
    // With a mouse on a desktop, holding the button selects text: the toolbar is there instead.
    if (e.pointerType === 'mouse' && desktopActions.matches) return;
    start = { x: e.clientX, y: e.clientY };
    timer = setTimeout(() => { fired = true; start = null; openActions(el, { pressed: true }); }, LONG_PRESS_MS);
  });
  list.addEventListener('pointermove', (e) => {
    if (start && Math.hypot(e.clientX - start.x, e.clientY - start.y) > MOVE_TOLERANCE_PX) cancel();
  });
  for (const type of ['pointerup', 'pointercancel', 'pointerleave']) list.addEventListener(type, cancel);
  list.addEventListener('scroll', cancel, { passive: true });
  list.addEventListener('click', (e) => {
    if (fired) { fired = false; e.preventDefault(); e.stopPropagation(); }
  }, true);
  // A touch screen's own long-press menu would cover the sheet.
  list.addEventListener('contextmenu', (e) => { if (fired || start) e.preventDefault(); });
}
