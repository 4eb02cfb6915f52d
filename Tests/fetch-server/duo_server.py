#!/usr/bin/env python3
"""A stand-in for DUO's web server, for the fetch tests: serves the files of one folder on 127.0.0.1 only.

Usage: duo_server.py FOLDER [--lifetime SECONDS]
Writes the port it listens on to FOLDER/.port, then serves until it is stopped or its lifetime ends.

Each response carries an ETag (sha256 of the content) and Last-Modified (the file's mtime); a request with a
matching If-None-Match gets 304. Faults per file name come from FOLDER/.faults.json, read on every request:
  {"name.csv": {"fault": "404"}}                 always 404
  {"name.csv": {"fault": "500", "count": 2}}     the first 2 requests get 500, then the file
  {"name.csv": {"fault": "slow", "delay": 5}}    wait 5 s before answering
  {"name.csv": {"fault": "truncate"}}            Content-Length larger than the body sent
  {"name.csv": {"fault": "html"}}                200 with an HTML error page
  {"name.csv": {"fault": "no-validators"}}       no ETag or Last-Modified
Every request is appended to FOLDER/.requests.log as "name status".
Standard library only.
"""
import email.utils
import hashlib
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FOLDER = os.path.abspath(sys.argv[1])
LIFETIME = float(sys.argv[sys.argv.index("--lifetime") + 1]) if "--lifetime" in sys.argv else 120.0
counts = {}
lock = threading.Lock()


def faults():
    try:
        with open(os.path.join(FOLDER, ".faults.json"), encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, name, status):
        with lock, open(os.path.join(FOLDER, ".requests.log"), "a", encoding="utf-8") as log:
            log.write(f"{name} {status}\n")

    def finish_with(self, name, status, body=b"", headers=None, length=None):
        self.record(name, status)
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def do_GET(self):
        name = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path.lstrip("/"))
        fault = faults().get(name, {})
        kind = fault.get("fault")
        with lock:
            counts[name] = counts.get(name, 0) + 1
            seen = counts[name]
        path = os.path.join(FOLDER, name)
        if kind == "404" or "/" in name or name.startswith(".") or not os.path.isfile(path):
            return self.finish_with(name, 404, b"niet gevonden\n", {"Content-Type": "text/plain"})
        if kind == "500" and seen <= int(fault.get("count", 1)):
            return self.finish_with(name, 500, b"storing\n", {"Content-Type": "text/plain"})
        if kind == "slow":
            time.sleep(float(fault.get("delay", 5)))
        if kind == "html":
            page = b"<!DOCTYPE html><html><head><title>DUO</title></head><body>Pagina niet beschikbaar</body></html>\n"
            return self.finish_with(name, 200, page, {"Content-Type": "text/html; charset=utf-8"})
        with open(path, "rb") as f:
            body = f.read()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {"Content-Type": "text/csv"}
        if kind != "no-validators":
            headers["ETag"] = etag
            headers["Last-Modified"] = email.utils.formatdate(os.path.getmtime(path), usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                self.record(name, 304)
                self.send_response(304)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                return
        if kind == "truncate":
            self.finish_with(name, 200, body[: len(body) // 2], headers, length=len(body))
            self.close_connection = True
            return
        self.finish_with(name, 200, body, headers)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(os.path.join(FOLDER, ".port.tmp"), "w", encoding="utf-8") as f:
        f.write(str(server.server_address[1]))
    os.rename(os.path.join(FOLDER, ".port.tmp"), os.path.join(FOLDER, ".port"))
    threading.Timer(LIFETIME, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
