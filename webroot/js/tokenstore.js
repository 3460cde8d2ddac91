// Where the refresh token lives between page loads: localStorage (simple,
// survives reloads, its `storage` event tells other tabs about a sign-out)
// mirrored into IndexedDB.
//
// Why both: tabs share one refresh token, and presenting a rotated one
// revokes the whole family (every tab signed out). Refreshes are serialised
// with a Web Lock, but in Chrome a localStorage write in one tab can reach
// another tab's cache a moment after the lock has changed hands, so the next
// tab could read the old token. IndexedDB reads after a committed write
// always see it, so inside the lock the token is read from there.

const KEY = 'parley.refreshToken';
let dbPromise = null;

function db() {
  if (!('indexedDB' in window)) return Promise.resolve(null);
  if (!dbPromise) {
    dbPromise = new Promise((resolve) => {
      const req = indexedDB.open('parley', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('kv');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null); // private mode etc.: fall back to localStorage alone
      req.onblocked = () => resolve(null);
    });
  }
  return dbPromise;
}

function tx(mode, fn) {
  return db().then((d) => {
    if (!d) return undefined;
    return new Promise((resolve) => {
      const t = d.transaction('kv', mode);
      const req = fn(t.objectStore('kv'));
      t.oncomplete = () => resolve(req?.result);
      t.onerror = t.onabort = () => resolve(undefined);
    });
  });
}

/** Quick, possibly slightly stale: is anyone signed in on this browser? */
export const peek = () => localStorage.getItem(KEY);

/** The current token, read consistently (call inside the refresh lock). */
export async function read() {
  const stored = await tx('readonly', (s) => s.get(KEY));
  return stored === undefined ? localStorage.getItem(KEY) : stored;
}

/** Resolves once the write is committed, so the next lock holder sees it. */
export async function write(token) {
  localStorage.setItem(KEY, token);
  await tx('readwrite', (s) => s.put(token, KEY));
}

export async function clear() {
  localStorage.removeItem(KEY);
  await tx('readwrite', (s) => s.delete(KEY));
}

export const STORAGE_KEY = KEY;
