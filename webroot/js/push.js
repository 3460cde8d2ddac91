// Real-time connection: WebSocket first, Server-Sent Events as the fallback.
// We own reconnection for both (even though EventSource retries by itself)
// because the access token rides in the URL and expires: every reconnect
// gets a fresh token and resumes from the last durable event id we applied.

import { apiUrl, freshToken, refresh, tokenLifetimeMs } from './api.js';

// The server ends a stream whose sign-in ended (signed out elsewhere, a replayed refresh token):
// WebSocket close code 4401, or a last SSE event auth_revoked.
const SIGN_IN_ENDED = 4401;

const EVENT_TYPES = ['message', 'delivered', 'read', 'typing', 'presence', 'conversation', 'resync'];
const PING_MS = 25000;
// A stream lives no longer than its access token: the WebSocket gets each new one in-band
// ({type: 'auth'}) before the old one expires; an event stream that hears auth_expired
// reconnects with a fresh token and its cursor. The check runs every 30 s, or six times per
// token lifetime when tokens are short, and renews once less than a quarter of it is left.
const RENEW_CHECK_MAX_MS = 30000;
const renewCheckMs = () => Math.max(250, Math.min(RENEW_CHECK_MAX_MS, tokenLifetimeMs() / 6));
const SILENCE_MS = 65000; // no frame at all (not even a pong) for this long: the socket is dead
const MAX_BACKOFF_MS = 30000;

export class Push {
  /**
   * @param {object} h handlers
   *   onEvent(type, data, id)  server events, in order
   *   onFrame(frame)           ack / error frames of the WebSocket
   *   onState(state)           'connecting' | 'open' | 'reconnecting' | 'stopped'
   *   onAuthLost()             the token could not be refreshed
   */
  constructor(h) {
    this.h = h;
    this.lastEventId = null; // resume cursor: highest durable event id applied
    this.attempt = 0;
    this.wsFailures = 0;     // WebSocket attempts that never opened, in a row
    this.running = false;
    this.ws = null;
    this.es = null;
    this.timers = {};
    this.everOpened = false;
  }

  get mode() { return this.ws ? 'ws' : this.es ? 'sse' : null; }
  get wsOpen() { return this.ws?.readyState === 1 /* OPEN */ && this.state === 'open'; }

  start(since) {
    if (since !== undefined && since !== null) this.lastEventId = since;
    this.running = true;
    this.connect();
  }

  stop() {
    this.running = false;
    this.teardown();
    this.setState('stopped');
  }

  /** Send a client frame over the WebSocket; false when there is none open. */
  send(frame) {
    if (!this.wsOpen) return false;
    try { this.ws.send(JSON.stringify(frame)); return true; } catch { return false; }
  }

  /** Drop the current connection and reconnect now (e.g. the network came back). */
  reconnectNow() {
    if (!this.running) return;
    this.attempt = 0;
    this.teardown();
    this.connect();
  }

  /** The browser reports no network: drop the connection now and keep trying with backoff. */
  lostNetwork() {
    if (this.running && this.state !== 'reconnecting') this.dropped();
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.h.onState?.(state);
  }

  teardown() {
    for (const t of Object.values(this.timers)) { clearTimeout(t); clearInterval(t); }
    this.timers = {};
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(1000); } catch { /* already closed */ }
    }
    if (this.es) { this.es.close(); this.es = null; }
  }

  async connect() {
    this.setState(this.everOpened || this.attempt > 0 ? 'reconnecting' : 'connecting');
    let token;
    try {
      token = await freshToken(60000);
    } catch (e) {
      if (e.status && e.status !== 0) { this.running = false; this.h.onAuthLost?.(); return; }
      return this.scheduleReconnect(); // network down: try again later
    }
    if (!this.running) return;
    const params = { access_token: token };
    if (this.lastEventId !== null) params.since = this.lastEventId;
    // After two WebSocket failures in a row (a proxy that drops upgrades,
    // say) use SSE; every fourth attempt tries the WebSocket again.
    const useWs = typeof WebSocket !== 'undefined'
      && (this.wsFailures < 2 || this.attempt % 4 === 3 || typeof EventSource === 'undefined');
    if (useWs) this.openWs(params); else this.openSse(params);
  }

  openWs(params) {
    const url = apiUrl('api/ws', params);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    let opened = false;
    const ws = new WebSocket(url);
    this.ws = ws;
    this.wsToken = params.access_token;
    ws.onopen = () => {
      opened = true;
      this.wsFailures = 0;
      this.opened();
      this.timers.ping = setInterval(() => this.send({ type: 'ping' }), PING_MS);
      this.scheduleRenewal(ws);
    };
    ws.onmessage = (ev) => {
      this.heard();
      let frame;
      try { frame = JSON.parse(ev.data); } catch { return; }
      if (!frame || typeof frame.type !== 'string') return;
      if (frame.type === 'pong' || frame.type === 'auth') return;
      if (frame.type === 'ack' || frame.type === 'error') { this.h.onFrame?.(frame); return; }
      this.deliver(frame.type, frame.data || {}, frame.id);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      if (ev.code === SIGN_IN_ENDED) { this.signInEnded(); return; }
      if (!opened) this.wsFailures++;
      this.dropped();
    };
    ws.onerror = () => { /* onclose follows and does the work */ };
  }

  openSse(params) {
    const es = new EventSource(apiUrl('api/events', params));
    this.es = es;
    es.onopen = () => this.opened();
    // SSE data is the frame's data object; the id header is set on durable events only.
    const handler = (type) => (ev) => {
      this.heard();
      let data;
      try { data = ev.data ? JSON.parse(ev.data) : {}; } catch { return; }
      const id = ev.lastEventId && type === 'message' ? Number(ev.lastEventId) : undefined;
      this.deliver(type, data, id);
    };
    for (const type of EVENT_TYPES) es.addEventListener(type, handler(type));
    es.addEventListener('auth_revoked', () => { if (this.es === es) this.signInEnded(); });
    es.addEventListener('auth_expired', () => { if (this.es === es) this.dropped(); });
    es.onerror = () => {
      if (this.es !== es) return;
      // The browser would retry with Last-Event-ID and the stale token; we
      // reconnect ourselves with a fresh token and our own cursor instead.
      this.dropped();
    };
  }

  deliver(type, data, id) {
    try {
      this.h.onEvent(type, data, id);
    } catch (e) {
      console.error('event handler failed', type, e);
    }
    // Advance the cursor only after the event was applied, so a reconnect
    // never skips one.
    if (typeof id === 'number' && Number.isFinite(id)) {
      if (this.lastEventId === null || id > this.lastEventId) this.lastEventId = id;
    }
  }

  opened() {
    this.everOpened = true;
    this.setState('open');
    this.heard();
    // Only a connection that stays up earns a fresh backoff; one the server
    // closes at once keeps backing off.
    this.timers.stable = setTimeout(() => { this.attempt = 0; }, 10000);
  }

  heard() {
    clearTimeout(this.timers.silence);
    if (this.ws) this.timers.silence = setTimeout(() => this.dropped(), SILENCE_MS);
  }

  /** Hands the open WebSocket the tab's access token once it has been refreshed (near expiry). */
  scheduleRenewal(ws) {
    const checkMs = renewCheckMs();
    this.timers.renew = setTimeout(() => {
      if (this.ws !== ws) return;
      freshToken(2 * checkMs).then((token) => {
        if (this.ws === ws && token !== this.wsToken) {
          this.wsToken = token;
          this.send({ type: 'auth', token });
        }
      }, () => { /* the next check, or the close at expiry, handles it */ })
        .finally(() => { if (this.ws === ws && this.running) this.scheduleRenewal(ws); });
    }, checkMs);
  }

  /**
   * The server ended this stream because its sign-in ended. A refresh tells whether the tab still
   * has a session (then it reconnects with the new token) or not (then it is signed out).
   */
  signInEnded() {
    this.teardown();
    refresh().then(
      () => { if (this.running) this.connect(); },
      () => { this.running = false; this.h.onAuthLost?.(); });
  }

  dropped() {
    this.teardown();
    if (this.running) this.scheduleReconnect();
  }

  scheduleReconnect() {
    this.setState('reconnecting');
    // 1 s, 2 s, 4 s … capped at 30 s, with ±25 % jitter so many clients
    // dropped together do not come back together.
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempt);
    const delay = Math.min(MAX_BACKOFF_MS, base * (0.75 + Math.random() * 0.5));
    this.attempt++;
    clearTimeout(this.timers.reconnect);
    this.timers.reconnect = setTimeout(() => { if (this.running) this.connect(); }, delay);
  }
}
