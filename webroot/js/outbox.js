// Outgoing messages. Each gets a clientId once, and every retry reuses it,
// so the server can drop duplicates: a retry after a lost ack never makes a
// second copy. WebSocket `send` frame when connected, REST POST otherwise.

import * as api from './api.js';
import * as store from './store.js';
import * as media from './media.js';

const ACK_TIMEOUT_MS = 10000;
const MAX_ATTEMPTS = 3;
// Errors that will not go away by sending the same thing again.
const PERMANENT = new Set(['invalid_request', 'forbidden', 'not_found', 'too_large', 'conflict',
  'unsupported_media_type', 'unauthorized']);

let push = null;
let onStored = (m) => store.applyMessage(m);
const waiters = new Map(); // clientId → {resolve, reject, timer}

/** Wire in the live connection and the handler that applies stored messages. */
export function attach(p, stored) {
  push = p;
  if (stored) onStored = stored;
}

/** RFC 4122 v4; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function uuid() {
  if (crypto.randomUUID && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Queue a message. `content` = {type: 'text', text, replyTo?, mentions?} or
 * {type: 'image'|'voice'|'file', file: File}: the file is uploaded first (with
 * progress), and a retry after a failed send does not upload it again.
 */
export function send(conversationId, content) {
  const p = {
    clientId: uuid(), conversationId, senderId: store.state.me?.id,
    type: content.type || 'text', text: content.text, mediaId: content.mediaId,
    replyTo: content.replyTo, mentions: content.mentions || [],
    createdAt: new Date().toISOString(), state: 'sending', attempts: 0, pending: true,
  };
  if (content.file) {
    p.file = content.file;
    p.localUrl = URL.createObjectURL(content.file); // preview and playback before the upload is done
    p.progress = 0;
    if (content.durationMs) p.media = { name: content.file.name, size: content.file.size, mime: content.file.type, durationMs: content.durationMs };
  }
  store.addPending(p);
  attempt(p);
  return p;
}

/** The Retry button: same clientId, fresh attempt budget. */
export function retry(p) {
  p.attempts = 0;
  attempt(p);
}

/** The connection is back: resend what failed only for want of a network (same clientIds). */
export function retryStalled() {
  for (const c of store.state.chats.values()) {
    for (const p of c.pending) if (p.state === 'failed' && p.retryable) retry(p);
  }
}

export function discard(p) {
  p.abort?.abort();
  if (p.localUrl && !p.mediaId) URL.revokeObjectURL(p.localUrl);
  const c = store.chat(p.conversationId);
  c.pending = c.pending.filter((x) => x !== p);
  store.emit('pending', p.conversationId);
}

async function attempt(p) {
  if (p.inFlight) return;
  p.inFlight = true;
  store.updatePending(p, { state: 'sending', error: null });
  for (;;) {
    p.attempts++;
    try {
      if (p.file && !p.mediaId) await upload(p);
      const result = await sendOnce(p);
      if (result.message) {
        onStored(result.message); // settles the pending copy by clientId
      } else {
        store.updatePending(p, { state: 'sent', id: result.id, seq: result.seq });
        confirmArrival(p);
      }
      break;
    } catch (e) {
      if (e.code === 'aborted') break; // discarded while uploading
      const permanent = PERMANENT.has(e.code) || (e.status >= 400 && e.status < 500 && e.status !== 429 && e.status !== 408);
      if (permanent || p.attempts >= MAX_ATTEMPTS) {
        // A network failure is worth another go once the connection is back (see retryStalled).
        p.retryable = !permanent;
        store.updatePending(p, { state: 'failed', error: e.message || 'Not sent' });
        break;
      }
      const wait = e.retryAfter ? e.retryAfter * 1000 : 1000 * 2 ** (p.attempts - 1);
      await new Promise((r) => setTimeout(r, Math.min(wait, 15000)));
    }
  }
  p.inFlight = false;
}

/** Upload the attachment; the server decides its kind from the bytes, and the message follows it. */
async function upload(p) {
  p.abort = new AbortController();
  try {
    const m = await api.uploadMedia(p.file, {
      signal: p.abort.signal,
      onProgress: (fraction) => { p.progress = fraction; store.emit('progress', p); },
    });
    media.seed(m.id, p.localUrl); // the stored message shows the local file: no download of our own upload
    store.updatePending(p, { mediaId: m.id, media: m, type: m.kind || p.type });
  } catch (e) {
    throw uploadError(e);
  } finally {
    p.abort = null;
  }
}

function uploadError(e) {
  const say = (message) => Object.assign(new Error(message), { code: e.code, status: e.status, retryAfter: e.retryAfter });
  if (e.status === 404 || e.status === 405) return say('Attachments are not available on this server yet.');
  if (e.status === 413) return say(`Too large to send${e.message ? ` (${e.message})` : ''}.`);
  if (e.status === 415) return say('This kind of file cannot be sent.');
  return e;
}

function body(p) {
  const b = { clientId: p.clientId, type: p.type };
  if (p.text) b.text = p.text;
  if (p.mediaId) b.mediaId = p.mediaId;
  if (p.replyTo) b.replyTo = p.replyTo;
  if (p.mentions?.length) b.mentions = p.mentions;
  return b;
}

function sendOnce(p) {
  const { type, ...rest } = body(p);
  const frame = { type: 'send', conversationId: p.conversationId, msgType: type, ...rest };
  if (push?.wsOpen) {
    const acked = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(p.clientId);
        reject(Object.assign(new Error('No answer from the server'), { code: 'timeout' }));
      }, ACK_TIMEOUT_MS);
      waiters.set(p.clientId, { resolve, reject, timer });
    });
    if (push.send(frame)) return acked;
    clearTimeout(waiters.get(p.clientId)?.timer);
    waiters.delete(p.clientId);
  }
  return api.sendMessage(p.conversationId, body(p)).then((message) => ({ message }));
}

/** ack / error frames from the WebSocket. */
export function handleFrame(frame) {
  const data = frame.data || {};
  const w = waiters.get(data.clientId);
  if (!w) {
    if (frame.type === 'error') console.warn('server error frame', data);
    return;
  }
  waiters.delete(data.clientId);
  clearTimeout(w.timer);
  if (frame.type === 'ack') w.resolve({ id: data.id, seq: data.seq });
  else w.reject(Object.assign(new Error(data.message || 'Not sent'), { code: data.code }));
}

/**
 * After an ack the `message` event should follow at once. If it has not
 * shown up shortly (say the socket dropped right after the ack), fetch the
 * stored message so the optimistic copy does not hang around forever.
 */
function confirmArrival(p) {
  setTimeout(async () => {
    const c = store.chat(p.conversationId);
    if (!c.pending.includes(p) || !p.seq) return;
    try {
      const page = await api.getMessages(p.conversationId, { after: p.seq - 1, limit: 1 });
      for (const m of page.messages || []) onStored(m);
    } catch { /* stays "sent"; the next resync settles it */ }
  }, 4000);
}
