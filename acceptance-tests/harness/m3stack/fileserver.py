"""Static HTTP file server for agent images and test images (run as its own process)."""

import argparse
import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):  # one short line per request, no reverse DNS
        print(f"{self.address_string()} {fmt % args}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    handler = functools.partial(QuietHandler, directory=args.root)
    ThreadingHTTPServer.daemon_threads = True
    with ThreadingHTTPServer((args.host, args.port), handler) as server:
        print(f"serving {args.root} on http://{args.host}:{args.port}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
