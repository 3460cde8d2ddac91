// The message composer: Enter sends, Shift+Enter breaks the line, typing
// notices (throttled in sync), reply quote, @mention suggestions, drafts kept
// per conversation; attachments from the picker, a paste or a drop, and
// voice messages from the recorder.

import { h, clear, toast } from '../dom.js';
import * as store from '../store.js';
import * as sync from '../sync.js';
import * as outbox from '../outbox.js';
import { previewText } from './message.js';
import { guessKind } from '../media.js';
import * as recorder from './recorder.js';

const MAX_TEXT = 8000;
const els = {};
let convId = null;
let replyTo = null;
let suggestions = [];
let active = 0;
let onSent = () => {};
const drafts = new Map();

export function init(opts) {
  onSent = opts.onSent;
  for (const id of ['composer-form', 'composer', 'reply-preview', 'reply-text', 'reply-cancel', 'mention-list', 'composer-count']) {
    els[id] = document.getElementById(id);
  }
  const ta = els.composer;
  els['composer-form'].addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  els['reply-cancel'].addEventListener('click', () => { setReply(null); ta.focus(); });
  ta.addEventListener('keydown', onKeyDown);
  ta.addEventListener('input', () => {
    autosize();
    if (convId && ta.value.trim()) sync.notifyTyping(convId);
    updateSuggestions();
    const over = ta.value.length > MAX_TEXT;
    els['composer-count'].textContent = ta.value.length > MAX_TEXT - 500 ? `${ta.value.length}/${MAX_TEXT}` : '';
    els['composer-count'].classList.toggle('over', over);
  });
  ta.addEventListener('blur', () => setTimeout(closeSuggestions, 150));
  ta.addEventListener('click', updateSuggestions);

  const picker = document.getElementById('attach-input');
  document.getElementById('btn-attach').addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    sendFiles([...picker.files]);
    picker.value = ''; // the same file can be picked again
  });
  // A pasted screenshot or copied image file is sent; pasted text stays text.
  ta.addEventListener('paste', (e) => {
    const files = [...(e.clipboardData?.files || [])];
    if (!files.length) return;
    e.preventDefault();
    sendFiles(files);
  });
  const view = document.getElementById('chat-view');
  const hasFiles = (e) => [...(e.dataTransfer?.types || [])].includes('Files');
  view.addEventListener('dragover', (e) => {
    if (!convId || !hasFiles(e)) return;
    e.preventDefault();
    view.classList.add('dropping');
  });
  view.addEventListener('dragleave', (e) => { if (!view.contains(e.relatedTarget)) view.classList.remove('dropping'); });
  view.addEventListener('drop', (e) => {
    view.classList.remove('dropping');
    if (!convId || !hasFiles(e)) return;
    e.preventDefault();
    sendFiles([...e.dataTransfer.files]);
  });
  recorder.init({
    onRecorded: (file, durationMs) => {
      if (!convId) return;
      outbox.send(convId, { type: 'voice', file, durationMs });
      onSent();
    },
  });
}

/** Each file becomes its own message (image, voice or file: the server has the last word). */
export function sendFiles(files) {
  if (!convId) return;
  for (const file of files) {
    if (!file.size) { toast(`“${file.name}” is empty.`, 'error'); continue; }
    outbox.send(convId, { type: guessKind(file), file });
  }
  if (files.length) onSent();
}

export function setConversation(id) {
  if (recorder.isRecording()) recorder.stop(false);
  if (convId) drafts.set(convId, els.composer.value);
  convId = id;
  els.composer.value = (id && drafts.get(id)) || '';
  setReply(null);
  closeSuggestions();
  autosize();
}

/** Signing out: nothing typed by one account may show up for the next. */
export function clearDrafts() {
  drafts.clear();
  els.composer.value = '';
}

export function setReply(msg) {
  replyTo = msg;
  els['reply-preview'].hidden = !msg;
  els['reply-text'].textContent = msg ? previewText(msg, { withSender: true }) : '';
  if (msg) els.composer.focus();
}

function autosize() {
  const ta = els.composer;
  ta.style.height = 'auto';
  if (!ta.offsetParent) { ta.style.height = ''; return; } // not on screen: nothing to measure yet
  // scrollHeight leaves the borders out; without them the box is 2px short and shows a scrollbar.
  const borders = ta.offsetHeight - ta.clientHeight;
  ta.style.height = `${Math.min(ta.scrollHeight + borders, 160)}px`;
}

function onKeyDown(e) {
  if (!els['mention-list'].hidden && suggestions.length) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length;
      renderSuggestions();
      return;
    }
    if (e.key === 'Enter' || e.key === 'Tab') { e.preventDefault(); pick(suggestions[active]); return; }
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); closeSuggestions(); return; }
  }
  if (e.key === 'Escape' && replyTo) { e.preventDefault(); setReply(null); return; }
  // isComposing: Enter that confirms an IME candidate must not send.
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
}

function submit() {
  const text = els.composer.value.trim();
  if (!convId || !text) return;
  if (text.length > MAX_TEXT) return;
  outbox.send(convId, { type: 'text', text, replyTo: replyTo?.id, mentions: mentionsIn(text) });
  els.composer.value = '';
  drafts.delete(convId);
  els['composer-count'].textContent = '';
  setReply(null);
  closeSuggestions();
  autosize();
  onSent();
}

/** Candidates for @mentions: group members (or the direct peer), never yourself. */
function people() {
  const c = store.state.chats.get(convId);
  const conv = store.state.conversations.get(convId);
  const users = c?.members ? c.members.map((m) => m.user) : (conv?.members || []);
  return users.map((u) => store.state.users.get(u.id) || u).filter((u) => u.id !== store.state.me?.id && u.username);
}

/** Whoever's @username appears in the text, whether picked from the list or typed. */
function mentionsIn(text) {
  const ids = [];
  for (const u of people()) {
    const re = new RegExp(`(^|[^a-z0-9_.-])@${escapeRe(u.username)}(?![a-z0-9_-])`, 'i');
    if (re.test(text)) ids.push(u.id);
  }
  return ids;
}

const escapeRe = (s) => s.replace(/[.*+?^$()|[\]{}\\-]/g, '\\$&');

function mentionQuery() {
  const ta = els.composer;
  const before = ta.value.slice(0, ta.selectionStart);
  const m = /(^|\s)@([a-z0-9_.-]*)$/i.exec(before);
  return m ? m[2].toLowerCase() : null;
}

function updateSuggestions() {
  const q = mentionQuery();
  if (q === null) return closeSuggestions();
  suggestions = people().filter((u) => u.username.toLowerCase().startsWith(q)
    || (u.displayName || '').toLowerCase().split(/\s+/).some((w) => w.startsWith(q))).slice(0, 6);
  active = 0;
  if (!suggestions.length) return closeSuggestions();
  renderSuggestions();
}

function renderSuggestions() {
  const list = clear(els['mention-list']);
  suggestions.forEach((u, i) => {
    list.appendChild(h('li', {
      role: 'option', id: `mention-${i}`, testid: 'mention-option', 'aria-selected': String(i === active),
      class: i === active ? 'active' : '',
      // mousedown, not click: it must run before the textarea's blur closes the list
      onmousedown: (e) => { e.preventDefault(); pick(u); },
    }, h('strong', {}, u.displayName || u.username), ` @${u.username}`));
  });
  list.hidden = false;
  els.composer.setAttribute('aria-expanded', 'true');
  els.composer.setAttribute('aria-activedescendant', `mention-${active}`);
}

function closeSuggestions() {
  suggestions = [];
  if (!els['mention-list']) return;
  els['mention-list'].hidden = true;
  els.composer.setAttribute('aria-expanded', 'false');
  els.composer.removeAttribute('aria-activedescendant');
}

function pick(user) {
  const ta = els.composer;
  const pos = ta.selectionStart;
  const before = ta.value.slice(0, pos).replace(/@([a-z0-9_.-]*)$/i, `@${user.username} `);
  ta.value = before + ta.value.slice(pos);
  ta.selectionStart = ta.selectionEnd = before.length;
  closeSuggestions();
  ta.focus();
}
