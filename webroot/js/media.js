// Media bytes for the views. Each item (or its thumbnail) is fetched once,
// with the Authorization header, and kept as an object URL for the session:
// re-rendering a message reuses the URL at once (no flicker, no refetch).
// Own uploads are seeded with the local file, so they never download again.

import * as api from './api.js';

const pending = new Map(); // key → Promise<url>
const ready = new Map();   // key → url, once loaded
const voiceNodes = new Map(); // media id → <audio>, kept across re-renders (keeps playback going)

const key = (id, thumbnail) => `${id}${thumbnail ? '#t' : ''}`;

/** The URL if it is already loaded (for a synchronous first paint), else null. */
export const readyUrl = (id, thumbnail = false) => ready.get(key(id, thumbnail)) || null;

/** Resolves to an object URL for the media item (thumbnail: its small JPEG/WebP). */
export function mediaUrl(id, { thumbnail = false } = {}) {
  const k = key(id, thumbnail);
  if (ready.has(k)) return Promise.resolve(ready.get(k));
  let p = pending.get(k);
  if (!p) {
    const path = `api/media/${encodeURIComponent(id)}${thumbnail ? '/thumbnail' : ''}`;
    p = api.getBlob(path).then((blob) => {
      const url = URL.createObjectURL(blob);
      ready.set(k, url);
      return url;
    }).finally(() => pending.delete(k)); // a failure is retried on the next render
    pending.set(k, p);
  }
  return p;
}

/** Our own upload: its local file stands in for both the item and its thumbnail. */
export function seed(id, localUrl) {
  ready.set(key(id, false), localUrl);
  ready.set(key(id, true), localUrl);
}

/** One <audio> per voice message for the whole session (see voiceNodes). */
export function voiceNode(id, build) {
  let node = voiceNodes.get(id);
  if (!node) {
    node = build();
    voiceNodes.set(id, node);
  }
  return node;
}

/** Signing out: drop every URL so nothing of one account stays for the next. */
export function forgetAll() {
  for (const node of voiceNodes.values()) node.pause();
  voiceNodes.clear();
  for (const url of new Set(ready.values())) URL.revokeObjectURL(url);
  ready.clear();
  pending.clear();
}

/** Save a media item under its name (a download the browser handles). */
export async function download(id, name) {
  const url = await mediaUrl(id);
  const a = document.createElement('a');
  a.href = url;
  a.download = name || 'file';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** What kind of message a picked file probably makes (the server decides from the bytes). */
export function guessKind(file) {
  if (/^image\/(jpeg|png|gif|webp)$/.test(file.type)) return 'image';
  if (file.name?.startsWith('voice-') && file.type.startsWith('audio/')) return 'voice';
  return 'file';
}
