#!/usr/bin/env python3
"""Echo bot over Parley's TCP event-bus bridge, Python standard library only.

Usage: BOT_TOKEN=parley_bot_... [PARLEY_URL=http://localhost:8080] [BRIDGE=localhost:7000] python3 echo_bot.py
A frame is a 4-byte big-endian length, then that many bytes of UTF-8 JSON.
"""
import json, os, socket, struct, threading, time, urllib.request

TOKEN = os.environ["BOT_TOKEN"]
BASE = os.environ.get("PARLEY_URL", "http://localhost:8080")
HOST, PORT = os.environ.get("BRIDGE", "localhost:7000").rsplit(":", 1)
AUTH = {"authorization": "Bearer " + TOKEN}  # every frame carries the token

# The bot token works on the REST API too: who am I?
ME = json.load(urllib.request.urlopen(urllib.request.Request(BASE + "/api/me", headers=AUTH)))["user"]
ADDRESS = "chat.user." + ME["id"]
bots = {}  # user id -> bot? Bots never answer bots, or two echo bots would talk forever.
# conversation id -> highest seq seen. seq has no gaps, so a jump means a message never reached
# us (whatever lost it): it is fetched over REST and answered like any other.
last_seq = {}
gaps_filled = 0


def is_bot(user_id):
    if user_id not in bots:
        request = urllib.request.Request(BASE + "/api/users/" + user_id, headers=AUTH)
        bots[user_id] = json.load(urllib.request.urlopen(request))["user"]["bot"]
    return bots[user_id]


def missed_between(conversation_id, after, up_to):
    """The messages with seq after `after` and before `up_to`, which the stream never brought."""
    global gaps_filled
    url = "%s/api/conversations/%s/messages?after=%d&limit=200" % (BASE, conversation_id, after)
    page = json.load(urllib.request.urlopen(urllib.request.Request(url, headers=AUTH)))
    missed = [m for m in page["messages"] if m["seq"] < up_to]
    gaps_filled += len(missed)
    print("filled a gap in %s: %d message(s) fetched (%d in all)" % (conversation_id, len(missed), gaps_filled))
    return missed


def run():
    sock = socket.create_connection((HOST, int(PORT)))
    lock = threading.Lock()

    def send(frame):
        data = json.dumps(frame).encode()
        with lock:
            sock.sendall(struct.pack(">I", len(data)) + data)

    def read(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed by the server")
            data += chunk
        return data

    def ping():  # the bridge closes a connection that stays silent for a minute
        try:
            while True:
                time.sleep(20)
                send({"type": "ping"})
        except OSError:
            pass

    threading.Thread(target=ping, daemon=True).start()
    # The server keeps the bot's position: after a reconnect or a restart, everything after the
    # last acknowledged event comes first (at least once: answers are idempotent by clientId).
    send({"type": "register", "address": ADDRESS, "headers": dict(AUTH, resume="server")})
    while True:
        frame = json.loads(read(struct.unpack(">I", read(4))[0]))
        if frame["type"] == "pong":
            continue
        if frame["type"] == "err":
            print("refused:", frame.get("message"))
            if frame.get("failureCode") == 401:  # the token is revoked: no use reconnecting
                raise SystemExit(1)
        elif frame.get("address") != ADDRESS:  # the reply to one of our sends: ack or error data
            reply = frame["body"]
            if "code" in reply:
                print("not sent:", reply["message"])
            else:
                print("answered with", reply["id"])
        else:
            event = frame["body"]  # exactly a WebSocket event: {type, id?, data}
            m = event["data"]
            if event["type"] == "ready":
                print(ME["username"], "is listening")
            elif event["type"] == "message":
                before = last_seq.get(m["conversationId"])
                last_seq[m["conversationId"]] = max(before or 0, m["seq"])
                arrived = [m]
                if before is not None and m["seq"] > before + 1:
                    arrived = missed_between(m["conversationId"], before, m["seq"]) + arrived
                for message in arrived:
                    if (message["senderId"] != ME["id"] and message["type"] == "text"
                            and not message["recalled"] and not is_bot(message["senderId"])):
                        send({"type": "send", "address": "chat.send", "replyAddress": "echo-%d" % message["id"],
                              "headers": AUTH,
                              "body": {"clientId": "echo-%d" % message["id"],  # a replayed message is answered once
                                       "conversationId": message["conversationId"], "msgType": "text",
                                       "text": "echo: " + message["text"], "replyTo": message["id"]}})
                # Handled (the answers are idempotent): the server keeps this as the position.
                send({"type": "send", "address": "chat.ack", "headers": AUTH, "body": {"id": event["id"]}})


while True:
    try:
        run()
    except OSError as e:
        print("disconnected (%s), reconnecting..." % e)
        time.sleep(2)
