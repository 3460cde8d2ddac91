// Voice messages: record with MediaRecorder, then hand the recording over
// as a File (sent like any attachment). While recording, a bar with the time,
// Cancel and Send replaces the composer row; Escape cancels.

import { formatDuration, toast } from '../dom.js';

const MAX_MS = 5 * 60 * 1000; // a voice message, not a podcast
// The first type this browser records (Chrome/Firefox: WebM or Ogg Opus, Safari: MP4/AAC).
const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4', 'audio/webm', 'audio/ogg'];

const els = {};
let recording = null; // {recorder, stream, chunks, startedAt, timer, send}
let onRecorded = () => {};

export const canRecord = () => typeof window.MediaRecorder === 'function' && !!navigator.mediaDevices?.getUserMedia;

export function init(opts) {
  onRecorded = opts.onRecorded;
  for (const id of ['recorder', 'record-time', 'record-cancel', 'record-send', 'composer-row', 'btn-voice']) {
    els[id] = document.getElementById(id);
  }
  // Where recording cannot work (no MediaRecorder, or not a secure context), offer no button.
  els['btn-voice'].hidden = !canRecord();
  els['btn-voice'].addEventListener('click', start);
  els['record-cancel'].addEventListener('click', () => stop(false));
  els['record-send'].addEventListener('click', () => stop(true));
  els.recorder.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.preventDefault(); stop(false); }
  });
}

export const isRecording = () => !!recording;

async function start() {
  if (recording) return;
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (e) {
    toast(e?.name === 'NotAllowedError' ? 'Microphone access was denied. Allow it in the browser to record.'
      : 'No microphone is available.', 'error');
    return;
  }
  const type = TYPES.find((t) => MediaRecorder.isTypeSupported?.(t));
  let recorder;
  try {
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  } catch {
    stream.getTracks().forEach((t) => t.stop());
    toast('This browser cannot record audio.', 'error');
    return;
  }
  const rec = { recorder, stream, chunks: [], startedAt: Date.now(), send: false };
  recording = rec;
  recorder.addEventListener('dataavailable', (e) => { if (e.data?.size) rec.chunks.push(e.data); });
  recorder.addEventListener('stop', () => finish(rec));
  recorder.start(250);
  rec.timer = setInterval(tick, 250);
  tick();
  els['composer-row'].hidden = true;
  els.recorder.hidden = false;
  els['record-send'].focus();
}

function tick() {
  if (!recording) return;
  const ms = Date.now() - recording.startedAt;
  els['record-time'].textContent = formatDuration(ms);
  if (ms >= MAX_MS) stop(true);
}

/** Ends the recording; send = hand it over, otherwise throw it away. */
export function stop(send) {
  const rec = recording;
  if (!rec) return;
  rec.send = send;
  rec.durationMs = Date.now() - rec.startedAt;
  clearInterval(rec.timer);
  recording = null;
  els.recorder.hidden = true;
  els['composer-row'].hidden = false;
  document.getElementById('composer')?.focus();
  if (rec.recorder.state !== 'inactive') rec.recorder.stop(); else finish(rec);
}

function finish(rec) {
  rec.stream.getTracks().forEach((t) => t.stop()); // the browser's "microphone in use" light goes off
  if (!rec.send || !rec.chunks.length) return;
  const mime = (rec.recorder.mimeType || rec.chunks[0].type || 'audio/webm').split(';')[0];
  const ext = mime.includes('ogg') ? 'ogg' : mime.includes('mp4') ? 'm4a' : 'webm';
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  onRecorded(new File(rec.chunks, `voice-${stamp}.${ext}`, { type: mime }), rec.durationMs);
}
