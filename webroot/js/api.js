// REST client: base URL, tokens, one refresh-and-retry on 401.
// The access token lives only in memory; the refresh token in localStorage so
// a reload (or another tab) can sign in again without the password.

import * as tokens from './tokenstore.js';

// The app may be mounted under a sub-path behind a proxy (/chat/): every URL is
// resolved against the directory of the page, never against the host root.
export const BASE = new URL('.', document.baseURI);

export function apiUrl(path, params) {
  const url = new URL(path, BASE);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  return url;
}

export class ApiError extends Error {
  constructor(status, code, message, field, retryAfter) {
    super(message || code);
    this.status = status; // 0 = the request never got an answer
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

let accessToken = null;
let accessExpiresAt = 0;
let refreshing = null; // one refresh in flight per tab
const listeners = { signedOut: [] };

export function on(event, fn) { listeners[event].push(fn); }
function emit(event, arg) { for (const fn of listeners[event]) fn(arg); }

export const hasRefreshToken = () => !!tokens.peek();

let lifetimeMs = 900000;
/** How long the server's access tokens live (from the last sign-in or refresh). */
export const tokenLifetimeMs = () => lifetimeMs;
async function setSession(body) {
  accessToken = body.accessToken;
  lifetimeMs = (Number(body.expiresIn) || 900) * 1000;
  accessExpiresAt = Date.now() + lifetimeMs;
  if (body.refreshToken) await tokens.write(body.refreshToken);
}

export function clearSession() {
  accessToken = null;
  accessExpiresAt = 0;
  return tokens.clear();
}

async function rawFetch(method, path, { body, token, params } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(apiUrl(path, params), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin', cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', 'Cannot reach the server');
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: handled below */ }
  if (!res.ok) {
    const err = json?.error || {};
    const retryAfter = Number(res.headers.get('Retry-After')) || undefined;
    throw new ApiError(res.status, err.code || `http_${res.status}`,
      err.message || res.statusText || 'Request failed', err.field, retryAfter);
  }
  return json;
}

/**
 * Trade the stored refresh token for a new pair. Tabs share the refresh
 * token, and reusing a rotated one revokes the whole family, so refreshes
 * are serialised across tabs with a Web Lock and the token is re-read
 * inside the lock (another tab may have rotated it a moment ago).
 */
export function refresh() {
  if (refreshing) return refreshing;
  const run = async () => {
    const token = await tokens.read();
    if (!token) throw new ApiError(401, 'unauthorized', 'Not signed in');
    try {
      // setSession resolves after the new token is committed: only then is the lock released.
      await setSession(await rawFetch('POST', 'api/auth/refresh', { body: { refreshToken: token } }));
    } catch (e) {
      // Only a definite "no" ends the session; a network blip keeps the token.
      if (e.status === 401 || e.status === 403 || e.status === 400) {
        if ((await tokens.read()) === token) await clearSession();
      }
      throw e;
    }
  };
  const locked = navigator.locks?.request ? () => navigator.locks.request('parley-refresh', run) : run;
  refreshing = locked().finally(() => { refreshing = null; });
  return refreshing;
}

/** A token valid for a while yet (push URLs need one that lasts past the handshake). */
export async function freshToken(minValidityMs = 60000) {
  const margin = Math.min(minValidityMs, lifetimeMs / 4);
  if (!accessToken || Date.now() > accessExpiresAt - margin) await refresh();
  return accessToken;
}

/** Authenticated JSON request; on 401 refresh once and retry, then give up. */
export async function request(method, path, body, params) {
  if (!accessToken) await refreshOrSignOut();
  try {
    return await rawFetch(method, path, { body, token: accessToken, params });
  } catch (e) {
    if (e.status !== 401) throw e;
  }
  await refreshOrSignOut();
  try {
    return await rawFetch(method, path, { body, token: accessToken, params });
  } catch (e) {
    if (e.status === 401) { await clearSession(); emit('signedOut'); }
    throw e;
  }
}

async function refreshOrSignOut() {
  try {
    await refresh();
  } catch (e) {
    if (e.status !== 0) emit('signedOut');
    throw e;
  }
}

export const get = (path, params) => request('GET', path, undefined, params);
export const post = (path, body) => request('POST', path, body ?? {});
export const patch = (path, body) => request('PATCH', path, body);
export const put = (path, body) => request('PUT', path, body);
export const del = (path) => request('DELETE', path);

// ---- auth --------------------------------------------------------------

export async function register(username, password, displayName, inviteCode) {
  const body = { username, password };
  if (displayName) body.displayName = displayName;
  if (inviteCode) body.inviteCode = inviteCode;
  return rawFetch('POST', 'api/auth/register', { body });
}

/** Who may register: "open", "closed" or "invite" ("open" from a server that does not say). */
export async function registrationMode() {
  try {
    return (await rawFetch('GET', 'api/auth/registration'))?.registration || 'open';
  } catch (e) {
    if (e.status === 404) return 'open';
    throw e;
  }
}

/** Sets a new password with the token of a one-time link an admin made (#reset=…). */
export const resetPassword = (token, newPassword) =>
  rawFetch('POST', 'api/auth/password-reset', { body: { token, newPassword } });

export async function login(username, password) {
  const body = await rawFetch('POST', 'api/auth/login', { body: { username, password } });
  await setSession(body);
  return body.user;
}

/** Resume a session from the stored refresh token; returns the user. */
export async function resume() {
  await refresh();
  return (await get('api/me')).user;
}

export async function logout() {
  const token = await tokens.read();
  const bearer = accessToken;
  await clearSession();
  if (token) {
    try { await rawFetch('POST', 'api/auth/logout', { body: { refreshToken: token }, token: bearer }); }
    catch { /* signing out locally is what matters */ }
  }
}

// Another tab signed out (it removed the shared refresh token): follow it.
window.addEventListener('storage', (e) => {
  if (e.key === tokens.STORAGE_KEY && !e.newValue && accessToken) {
    accessToken = null;
    emit('signedOut');
  }
});

// ---- resources ----------------------------------------------------------

const enc = encodeURIComponent;
export const convPath = (id, rest = '') => `api/conversations/${enc(id)}${rest}`;

/** Follow nextCursor for lists that may be long, up to maxPages. */
export async function getAll(path, key, params = {}, maxPages = 10) {
  const out = [];
  let cursor;
  for (let i = 0; i < maxPages; i++) {
    const page = await get(path, { ...params, cursor });
    out.push(...(page?.[key] || []));
    cursor = page?.nextCursor;
    if (!cursor) break;
  }
  return out;
}

export const searchUsers = async (q) => (await get('api/users', { q }))?.users || [];
export const getUser = async (id) => (await get(`api/users/${enc(id)}`)).user;
export const listConversations = () => getAll('api/conversations', 'conversations');
export const getConversation = async (id) => (await get(convPath(id))).conversation;
export const createDirect = async (userId) => (await post('api/conversations', { type: 'direct', userId })).conversation;
export const createGroup = async (title, memberIds) =>
  (await post('api/conversations', { type: 'group', title, memberIds })).conversation;
export const renameConversation = async (id, title) => (await patch(convPath(id), { title })).conversation;
export const setNotify = (id, level) => put(convPath(id, '/notify'), { level });
/** days: a number of days, 0 for forever, or null for the server's default. */
export const setRetention = async (id, days) => (await put(convPath(id, '/retention'), { days })).conversation;
export const listMembers = (id) => getAll(convPath(id, '/members'), 'members');
export const addMember = (id, userId) => post(convPath(id, '/members'), { userId });
export const setRole = (id, userId, role) => patch(convPath(id, `/members/${enc(userId)}`), { role });
export const removeMember = (id, userId) => del(convPath(id, `/members/${enc(userId)}`));
export const getMessages = (id, params) => get(convPath(id, '/messages'), { limit: 50, ...params });
export const sendMessage = async (id, body) => (await post(convPath(id, '/messages'), body)).message;
export const editMessage = async (id, messageId, text) =>
  (await patch(convPath(id, `/messages/${enc(messageId)}`), { text })).message;
export const addReaction = (id, messageId, emoji) => put(convPath(id, `/messages/${enc(messageId)}/reactions/${enc(emoji)}`));
export const removeReaction = (id, messageId, emoji) => del(convPath(id, `/messages/${enc(messageId)}/reactions/${enc(emoji)}`));
export const recallMessage = (id, messageId) => del(convPath(id, `/messages/${enc(messageId)}`));
export const markRead = (id, seq) => post(convPath(id, '/read'), { seq });
export const markDelivered = (id, seq) => post(convPath(id, '/delivered'), { seq });
export const getReceipts = async (id) => (await get(convPath(id, '/receipts')))?.receipts || [];
export const sendTyping = (id) => post(convPath(id, '/typing'));
export const searchMessages = async (q, conversationId) =>
  (await get('api/search', { q, conversationId }))?.messages || [];

// ---- sharing -------------------------------------------------------------

export const createShare = async (id, body) => (await post(convPath(id, '/shares'), body)).share;
export const listShares = async (id) => (await get(convPath(id, '/shares')))?.shares || [];
export const revokeShare = (token) => del(`api/shares/${enc(token)}`);
/** A one-time link to the conversation's export: {ticket, url, expiresAt}. range: {from?, to?, fromSeq?, toSeq?}. */
export const createExport = (id, range) => post(convPath(id, '/export'), range);
export const pushKey = async () => (await get('api/push-subscriptions/key')).publicKey;
export const addPushSubscription = async (subscription) => (await post('api/push-subscriptions', subscription)).subscription;
export const removePushSubscription = (id) => del(`api/push-subscriptions/${enc(id)}`);

/**
 * The public page of a share, under this client's own base (so also under a proxy sub-path).
 * The server's link wins only when it names another origin (its http.publicUrl): on this
 * origin the client knows best the path it is served under.
 */
export function shareLink(share) {
  const own = new URL(`s/${enc(share.token)}`, BASE);
  if (/^https?:\/\//i.test(share.url || '') && new URL(share.url).origin !== own.origin) return share.url;
  return own.href;
}

// ---- media ---------------------------------------------------------------

/**
 * Upload a file (multipart field `file`) with progress: fetch cannot report
 * upload progress, XMLHttpRequest can. onProgress(fraction 0..1). Resolves
 * to the `media` object; rejects with an ApiError like every other call.
 */
export async function uploadMedia(file, { onProgress, signal } = {}) {
  if (!accessToken) await refreshOrSignOut();
  try {
    return await xhrUpload(file, accessToken, onProgress, signal);
  } catch (e) {
    if (e.status !== 401) throw e;
  }
  await refreshOrSignOut();
  return xhrUpload(file, accessToken, onProgress, signal);
}

function xhrUpload(file, token, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl('api/media'));
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress?.(e.loaded / e.total); };
    xhr.onload = () => {
      let json = null;
      try { json = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300 && json?.media) { onProgress?.(1); resolve(json.media); return; }
      const err = json?.error || {};
      reject(new ApiError(xhr.status, err.code || `http_${xhr.status}`, err.message || xhr.statusText || 'Upload failed',
        err.field, Number(xhr.getResponseHeader('Retry-After')) || undefined));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'Cannot reach the server'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'Upload cancelled'));
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file.name || 'file');
    xhr.send(form);
  });
}

/**
 * The bytes of a media item (or its thumbnail) as a Blob, fetched with the
 * Authorization header: no token ever lands in an <img> URL, a log or a
 * Referer. `path` is `api/media/{id}` or `api/media/{id}/thumbnail`.
 */
export async function getBlob(path) {
  const once = async () => {
    let res;
    try {
      res = await fetch(apiUrl(path), { headers: { Authorization: `Bearer ${accessToken}` }, credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, 'network', 'Cannot reach the server');
    }
    if (!res.ok) throw new ApiError(res.status, `http_${res.status}`, res.status === 404 ? 'Not available' : res.statusText);
    return res.blob();
  };
  if (!accessToken) await refreshOrSignOut();
  try {
    return await once();
  } catch (e) {
    if (e.status !== 401) throw e;
  }
  await refreshOrSignOut();
  return once();
}
