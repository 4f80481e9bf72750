"""TCP forwarder from the host's loopback into the lab's network namespace.

    python -m m3lab.forward --netns NS LISTEN_PORT:TARGET_HOST:TARGET_PORT [...]

Listens on 127.0.0.1:LISTEN_PORT in the namespace it starts in, then enters NS (setns) so every
connection it opens goes to TARGET inside the namespace. Threads are started after setns, so all of
them connect from inside; the listening sockets stay where they were bound."""

import argparse
import ctypes
import os
import socket
import threading

CLONE_NEWNET = 0x40000000


def enter_netns(name: str) -> None:
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns into network namespace {name}: {os.strerror(err)}")
    finally:
        os.close(fd)


def pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s, how in ((dst, socket.SHUT_WR), (src, socket.SHUT_RD)):
            try:
                s.shutdown(how)
            except OSError:
                pass


def serve(listener: socket.socket, target: tuple) -> None:
    while True:
        client, _ = listener.accept()
        try:
            upstream = socket.create_connection(target, timeout=10)
            upstream.settimeout(None)
        except OSError as e:
            print(f"forward: cannot reach {target[0]}:{target[1]}: {e}", flush=True)
            client.close()
            continue
        threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--netns", required=True)
    parser.add_argument("mappings", nargs="+")
    args = parser.parse_args()
    routes = []
    for m in args.mappings:
        port, host, tport = m.split(":")
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", int(port)))
        listener.listen(128)
        routes.append((listener, (host, int(tport))))
    enter_netns(args.netns)
    for listener, target in routes:
        print(f"forward: 127.0.0.1:{listener.getsockname()[1]} -> {args.netns} {target[0]}:{target[1]}", flush=True)
        threading.Thread(target=serve, args=(listener, target), daemon=True).start()
    threading.Event().wait()


if __name__ == "__main__":
    main()
