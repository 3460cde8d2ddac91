// The body of image, voice and file messages, and the full-size image
// viewer. Bytes come through media.js (fetched with the Authorization
// header into object URLs); a message still uploading shows its local file.

import { h, formatDuration, formatSize } from '../dom.js';
import * as media from '../media.js';
import { openDialog } from './dialog-shell.js';

const THUMB_BOX = 240; // px, the longer side of an inline image

/** Media details of a stored or pending message. */
function mediaOf(msg) {
  if (msg.media) return msg.media;
  if (msg.file) return { name: msg.file.name, size: msg.file.size, mime: msg.file.type };
  return {};
}

/** The element for an attachment message (without caption and meta). */
export function renderAttachment(msg) {
  const m = mediaOf(msg);
  if (msg.type === 'image') return image(msg, m);
  if (msg.type === 'voice') return voice(msg, m);
  return file(msg, m);
}

function fit(w, hgt) {
  if (!w || !hgt) return {};
  const s = Math.min(1, THUMB_BOX / Math.max(w, hgt));
  return { width: Math.round(w * s), height: Math.round(hgt * s) };
}

/** Set an <img>/<audio> source now if it is loaded, else when it is; a failure says so in place. */
function fill(el, msg, m, thumbnail) {
  el.addEventListener('error', () => {
    if (el.getAttribute('src')) el.replaceWith(h('span', { class: 'media-missing' }, 'Cannot show this file'));
  });
  if (msg.localUrl) { el.src = msg.localUrl; return; }
  if (!m.id) return;
  const now = media.readyUrl(m.id, thumbnail);
  if (now) { el.src = now; return; }
  media.mediaUrl(m.id, { thumbnail }).then((url) => { el.src = url; }).catch(() => {
    el.replaceWith(h('span', { class: 'media-missing' }, 'Not available'));
  });
}

function image(msg, m) {
  const label = m.name ? `Open image ${m.name}` : 'Open image';
  const img = h('img', { testid: 'image', alt: m.name ? `Image: ${m.name}` : 'Image', decoding: 'async', ...fit(m.width, m.height) });
  fill(img, msg, m, !!m.thumbnailUrl);
  return h('button', {
    type: 'button', class: 'thumb', testid: 'image-thumb', 'aria-label': label,
    onclick: () => openImage(msg, m),
  }, img);
}

function voice(msg, m) {
  const build = () => {
    const audio = h('audio', { controls: true, preload: 'metadata', testid: 'voice-player' });
    fill(audio, msg, m, false);
    return audio;
  };
  // Stored voice messages keep one <audio> for the session: a re-render moves it, playing or not.
  const audio = m.id && !msg.pending ? media.voiceNode(m.id, build) : build();
  return h('div', { class: 'voice' },
    h('span', { class: 'voice-label' }, 'Voice message', m.durationMs ? ` · ${formatDuration(m.durationMs)}` : ''),
    audio);
}

function file(msg, m) {
  const name = m.name || 'file';
  return h('button', {
    type: 'button', class: 'file', testid: 'file-download', disabled: !m.id && !msg.localUrl,
    'aria-label': `Download ${name}`,
    onclick: () => {
      if (m.id) media.download(m.id, name).catch(() => {});
      else if (msg.localUrl) saveLocal(msg.localUrl, name);
    },
  }, h('span', { class: 'file-icon', 'aria-hidden': 'true' }, '⬇'),
  h('span', { class: 'file-names' }, h('span', { class: 'file-name' }, name), h('span', { class: 'file-size' }, formatSize(m.size))));
}

function saveLocal(url, name) {
  const a = h('a', { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Full-size image in the dialog; Escape or the close button returns to the chat. */
export function openImage(msg, m = mediaOf(msg)) {
  openDialog('image', m.name || 'Image', (body) => {
    const img = h('img', { class: 'full-image', testid: 'image-full', alt: m.name ? `Image: ${m.name}` : 'Image' });
    const status = h('p', { class: 'hint', 'aria-live': 'polite' }, 'Loading…');
    img.addEventListener('load', () => { status.textContent = ''; });
    if (msg.localUrl) img.src = msg.localUrl;
    else if (m.id) {
      media.mediaUrl(m.id).then((url) => { img.src = url; }).catch(() => { status.textContent = 'This image is not available.'; });
    }
    const save = m.id
      ? h('button', { type: 'button', testid: 'image-download', onclick: () => media.download(m.id, m.name || 'image').catch(() => {}) }, 'Download')
      : null;
    body.append(h('div', { class: 'viewer' }, img, status, save));
  });
}
