// The service worker: it makes the client installable and lets it open
// without a network. Registered by main.js as ./sw.js, so its scope is the
// folder the app is served from (/ or a proxy sub-path such as /chat/), and
// every URL here is relative to that folder.
//
// Sections: app shell, then Web Push. Each section adds its own event
// listeners.

// ---- app shell ----------------------------------------------------------------
//
// The shell is the page, its stylesheet, every module and the icons: all a
// reload needs to draw the app before the server answers. It is cached at
// install and served from the cache at once, while a fresh copy is fetched for
// the next load (stale-while-revalidate). Nothing else is ever cached: API
// answers, the push streams, media and share pages always go to the network.
//
// Bump SHELL_VERSION when the list changes: the new worker caches the new
// list and drops the old cache when it takes over.

const SHELL_VERSION = 5;
const SHELL_CACHE = `parley-shell-v${SHELL_VERSION}`;
const SHELL_FILES = [
  './',
  'admin.html',
  'manifest.webmanifest',
  'css/app.css',
  'css/admin.css',
  'icons/icon.svg',
  'icons/icon-192.png',
  'icons/icon-512.png',
  'icons/icon-maskable-192.png',
  'icons/icon-maskable-512.png',
  'icons/apple-touch-icon.png',
  'js/admin/adminapi.js',
  'js/admin/audit.js',
  'js/admin/bots.js',
  'js/admin/chart.js',
  'js/admin/conversations.js',
  'js/admin/main.js',
  'js/admin/registration.js',
  'js/admin/server.js',
  'js/admin/shares.js',
  'js/admin/ui.js',
  'js/admin/users.js',
  'js/api.js',
  'js/dom.js',
  'js/main.js',
  'js/media.js',
  'js/notify.js',
  'js/outbox.js',
  'js/push.js',
  'js/snapshot.js',
  'js/store.js',
  'js/sync.js',
  'js/tokenstore.js',
  'js/views/actions.js',
  'js/views/attachments.js',
  'js/views/auth.js',
  'js/views/chat.js',
  'js/views/composer.js',
  'js/views/dialog-shell.js',
  'js/views/dialogs.js',
  'js/views/export.js',
  'js/views/list.js',
  'js/views/listfocus.js',
  'js/views/members.js',
  'js/views/message.js',
  'js/views/recorder.js',
  'js/views/share.js',
];

const scoped = (path) => new URL(path, self.registration.scope).href;
const SHELL_URLS = new Set(SHELL_FILES.map(scoped));
const PAGE_URL = scoped('./');
const ADMIN_URL = scoped('admin.html');

self.addEventListener('install', (event) => {
  // cache: 'reload' skips the HTTP cache, so the shell is what the server has now.
  event.waitUntil(caches.open(SHELL_CACHE)
    .then((cache) => cache.addAll(SHELL_FILES.map((path) => new Request(scoped(path), { cache: 'reload' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(dropOldShells().then(() => self.clients.claim()));
});

function dropOldShells() {
  return caches.keys().then((names) => Promise.all(names
    .filter((name) => name.startsWith('parley-shell-') && name !== SHELL_CACHE)
    .map((name) => caches.delete(name))));
}

self.addEventListener('fetch', (event) => {
  const key = shellKey(event.request);
  if (key) event.respondWith(fromShell(event, key));
});

/**
 * The cache entry a request is answered from, or null to leave it to the network.
 * Only GETs of shell files count, and navigations to the app's page (any query,
 * any #/c/… route) or the admin page: never api/, media, share pages (s/…) or anything else.
 */
function shellKey(request) {
  if (request.method !== 'GET') return null;
  const url = new URL(request.url);
  url.hash = '';
  if (request.mode === 'navigate') {
    url.search = '';
    if (url.href === ADMIN_URL) return ADMIN_URL;
    return url.href === PAGE_URL || url.href === scoped('index.html') ? PAGE_URL : null;
  }
  return SHELL_URLS.has(url.href) ? url.href : null;
}

/** The cached copy at once, a fresh one for next time; the network only when the cache has none. */
async function fromShell(event, key) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(key);
  const fresh = fetch(key, { cache: 'no-cache' }).then((response) => {
    if (response.ok) return cache.put(key, response.clone()).then(() => response);
    return response;
  });
  if (!cached) return fresh;
  // Offline, the update fails: the cached copy stays, and the next load tries again.
  event.waitUntil(fresh.catch(() => undefined));
  return cached;
}

// ---- Web Push -----------------------------------------------------------------
//
// The server pushes a message to this device while no Parley tab is open here,
// or when it stayed unread (docs/api.md, "Web Push"): {type: 'message',
// conversationId, messageId, seq, senderId, title, body}, already decided by the
// member's notification level and mutes. It is shown as the open tab would show
// it, one notification per conversation (the newest replaces the one before).
// A Parley tab in front of the user already shows the message: then nothing is.

self.addEventListener('push', (event) => {
  event.waitUntil(showPush(event.data));
});

async function showPush(data) {
  let message = null;
  try {
    message = data ? data.json() : null;
  } catch {
    // Not ours, or garbled: nothing to show.
  }
  if (!message || message.type !== 'message') return;
  const windows = await self.clients.matchAll({ type: 'window' });
  if (windows.some((w) => w.focused && w.visibilityState === 'visible' && isAppPage(w.url))) return;
  // Text only: the system shows title and body as text, never as markup.
  await self.registration.showNotification(String(message.title || 'Parley'), {
    body: String(message.body || ''),
    tag: message.conversationId,
    renotify: true,
    icon: scoped('icons/icon-192.png'),
    badge: scoped('icons/icon-192.png'),
    data: { conversationId: message.conversationId },
  });
}

/** The app's own page (any route), not another document of the same folder. */
function isAppPage(href) {
  const url = new URL(href);
  url.hash = '';
  url.search = '';
  return url.href === PAGE_URL || url.href === scoped('index.html');
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openConversation(event.notification.data?.conversationId));
});

/** Focuses a Parley window on the conversation, or opens one there. */
async function openConversation(conversationId) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((w) => isAppPage(w.url));
  if (open) {
    await open.focus();
    if (conversationId) open.postMessage({ type: 'open-conversation', conversationId });
    return;
  }
  await self.clients.openWindow(conversationId ? `${PAGE_URL}#/c/${encodeURIComponent(conversationId)}` : PAGE_URL);
}
