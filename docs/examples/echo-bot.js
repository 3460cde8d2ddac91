// Echo bot over Parley's SockJS event-bus bridge (Node 18+, npm @vertx/eventbus-bridge-client.js).
// Usage: BOT_TOKEN=parley_bot_… [PARLEY_URL=http://localhost:8080] node echo-bot.js
const EventBus = require('@vertx/eventbus-bridge-client.js');

const base = process.env.PARLEY_URL || 'http://localhost:8080';
const token = process.env.BOT_TOKEN;
if (!token) {
  console.error('set BOT_TOKEN to the token POST /api/bots gave you');
  process.exit(2);
}
const auth = { authorization: `Bearer ${token}` };
const bots = new Map(); // user id → bot? Bots never answer bots, or two echo bots would talk forever.
// conversation id → highest seq seen. seq has no gaps, so a jump means a message never reached
// us (whatever lost it): it is fetched over REST and answered like any other.
const lastSeq = new Map();
let gapsFilled = 0;

async function isBot(userId) {
  if (!bots.has(userId)) {
    const user = await fetch(`${base}/api/users/${encodeURIComponent(userId)}`, { headers: auth });
    bots.set(userId, user.ok ? (await user.json()).user.bot : true);
  }
  return bots.get(userId);
}

async function main() {
  // The bot token works on the REST API too: who am I?
  const mine = await fetch(`${base}/api/me`, { headers: auth });
  if (!mine.ok) throw new Error(`GET /api/me: ${mine.status}`);
  const me = (await mine.json()).user;

  const eb = new EventBus(`${base}/eventbus`);
  eb.defaultHeaders = auth; // every frame carries the token
  eb.enableReconnect(true);
  eb.onopen = () => {
    // The server keeps the bot's position: after a reconnect or a restart, everything after the
    // last acknowledged event comes first (at least once: answers are idempotent by clientId).
    eb.registerHandler(`chat.user.${me.id}`, { resume: 'server' }, (err, frame) => {
      if (err) {
        console.error('refused:', err.message);
        if (err.failureCode === 401) process.exit(1); // the token is revoked: no use reconnecting
        return;
      }
      const event = frame.body; // exactly a WebSocket event: {type, id?, data}
      if (event.type === 'ready') return console.log(`${me.username} is listening`);
      if (event.type !== 'message') return;
      eb.send('chat.ack', { id: event.id }); // handled (the answer is idempotent): keep the position
      const m = event.data;
      const before = lastSeq.get(m.conversationId);
      if (before === undefined || m.seq > before) lastSeq.set(m.conversationId, m.seq);
      if (before !== undefined && m.seq > before + 1) {
        fillGap(eb, me, m.conversationId, before, m.seq).catch((e) => console.error('gap not filled:', e.message));
      }
      consider(eb, me, m);
    });
  };
  eb.onclose = () => console.log('disconnected, reconnecting…');
}

/** Answers a human's text message (a replayed or refetched one too: the clientId makes it once only). */
function consider(eb, me, m) {
  if (m.senderId === me.id || m.type !== 'text' || m.recalled) return;
  isBot(m.senderId)
    .then((bot) => bot || answer(eb, m))
    .catch((e) => console.error('not sent:', e.message));
}

/** Fetches the messages between seq `after` and `upTo` that never arrived, and treats them as arrived. */
async function fillGap(eb, me, conversationId, after, upTo) {
  const page = await fetch(`${base}/api/conversations/${encodeURIComponent(conversationId)}/messages?after=${after}&limit=200`,
    { headers: auth });
  if (!page.ok) throw new Error(`GET messages: ${page.status}`);
  const missed = (await page.json()).messages.filter((m) => m.seq < upTo);
  gapsFilled += missed.length;
  console.log(`filled a gap in ${conversationId}: ${missed.length} message(s) fetched (${gapsFilled} in all)`);
  missed.forEach((m) => consider(eb, me, m));
}

function answer(eb, m) {
  const send = {
    clientId: `echo-${m.id}`, // idempotent: a replayed message is not answered twice
    conversationId: m.conversationId,
    msgType: 'text',
    text: `echo: ${m.text}`,
    replyTo: m.id,
  };
  eb.send('chat.send', send, (failure, reply) => {
    if (failure) console.error('refused:', failure.message);
    else if (reply.body.code) console.error('not sent:', reply.body.code, reply.body.message);
    else console.log(`answered message ${m.id} with ${reply.body.id}`);
  });
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
