#!/usr/bin/env python3
"""kill -9 during a burst of POST /items, then a restart: every acknowledged item is served as it
was acknowledged, and every item the restarted server holds is whole (issue 19).

    python3 tests/serve_kill9.py HASHRL_BINARY SOURCE_DIR [ROUNDS]

Trains the small synthetic run (tests/synthetic.ini, seconds), serves it with a small --fold-every
so that kills also land while the log is folded into the snapshot, and in each round posts from
four threads until the server is killed at a random moment. Standard library only.
"""
import atexit
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

binary, source = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 4
work = tempfile.mkdtemp(prefix="hashrl-kill9-")
if not os.environ.get("HASHRL_KEEP_TEST_FILES"):  # as the C++ tests: set it to look at a failure
    atexit.register(shutil.rmtree, work, True)
run = work + "/run"
subprocess.run([binary, "train", "--config", source + "/tests/synthetic.ini", "--set", "train.steps=5",
                "--set", "policy.hidden=16",
                "--out", run], check=True, stdout=subprocess.DEVNULL)


def start():
    server = subprocess.Popen([binary, "serve", "--run", run, "--port", "0", "--fold-every", "7"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in server.stdout:
        found = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if found:
            return server, int(found.group(1))
    raise SystemExit("the server did not start: " + str(server.wait()))


def request(port, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as reply:
        return reply.status, json.loads(reply.read())


rng = random.Random(19)
acknowledged = {}  # id -> code, as the server acknowledged it
lock = threading.Lock()
for round_ in range(rounds):
    server, port = start()
    info = request(port, "GET", "/info")[1]
    dim, base = info["feature_dim"], info["database_size"] - info["added_items"]
    stop = threading.Event()

    def post(seed):
        local = random.Random(seed)
        while not stop.is_set():
            items = [{"features": [local.gauss(0, 1) for _ in range(dim)], "labels": [local.randrange(4)]}
                     for _ in range(local.randint(1, 5))]
            try:
                status, reply = request(port, "POST", "/items", {"items": items})
            except (urllib.error.URLError, ConnectionError, OSError):
                return  # killed: this request was never acknowledged
            assert status == 201, reply
            with lock:
                acknowledged.update(zip(reply["ids"], reply["codes"]))

    clients = [threading.Thread(target=post, args=(round_ * 10 + t,)) for t in range(4)]
    for client in clients:
        client.start()
    time.sleep(rng.uniform(0.5, 2.5))
    server.kill()  # SIGKILL, in the middle of the burst
    server.wait()
    stop.set()
    for client in clients:
        client.join()

    server, port = start()
    info = request(port, "GET", "/info")[1]
    lost = [i for i in acknowledged if i >= info["database_size"]]
    assert not lost, f"round {round_}: acknowledged items {lost[:5]} lost (database now {info['database_size']})"
    for item_id in range(base, info["database_size"]):
        status, item = request(port, "GET", f"/items/{item_id}")
        assert status == 200 and len(item["code"]) == info["code_length"] and item["added"], item
        if item_id in acknowledged:
            assert item["code"] == acknowledged[item_id], f"item {item_id} changed"
    print(f"round {round_}: {len(acknowledged)} acknowledged, {info['database_size'] - base} held, all whole", flush=True)
    server.terminate()
    server.wait()
print(f"kill -9 during POST /items: all {len(acknowledged)} acknowledged items survived {rounds} kills")
