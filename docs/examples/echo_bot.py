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
last_id = 0  # the newest event id seen: the resume cursor after a reconnect
bots = {}  # user id -> bot? Bots never answer bots, or two echo bots would talk forever.


def is_bot(user_id):
    if user_id not in bots:
        request = urllib.request.Request(BASE + "/api/users/" + user_id, headers=AUTH)
        bots[user_id] = json.load(urllib.request.urlopen(request))["user"]["bot"]
    return bots[user_id]


def run():
    global last_id
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
    since = {"since": str(last_id)} if last_id else {}  # after a reconnect: what was missed comes first
    send({"type": "register", "address": ADDRESS, "headers": dict(AUTH, **since)})
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
            last_id = event.get("id", last_id)
            m = event["data"]
            if event["type"] == "ready":
                print(ME["username"], "is listening")
            elif (event["type"] == "message" and m["senderId"] != ME["id"] and m["type"] == "text"
                  and not m["recalled"] and not is_bot(m["senderId"])):
                send({"type": "send", "address": "chat.send", "replyAddress": "echo-%d" % m["id"], "headers": AUTH,
                      "body": {"clientId": "echo-%d" % m["id"],  # idempotent: a replayed message is answered once
                               "conversationId": m["conversationId"], "msgType": "text",
                               "text": "echo: " + m["text"], "replyTo": m["id"]}})


while True:
    try:
        run()
    except OSError as e:
        print("disconnected (%s), reconnecting..." % e)
        time.sleep(2)
