"""Runs one of Ironic's commands with changes that alter no result, only what they cost.

    python -m m3stack.ironic_process COMMAND PROG --config-file FILE

It also gives fake-hardware's fake RAID, BIOS and firmware interfaces the clean and service
steps their real counterparts have (fake_steps.py): that one does change results.

COMMAND is a module of `ironic.command` (`singleprocess`, `api`, `conductor`); PROG its name in
process listings and logs. The changes, each measured on this project's 2-core CI machine:

- PBKDF2 results remembered: Ironic 39's redfish driver derives a session-cache key with 600000
  rounds of PBKDF2-SHA512 (~0.25 s of CPU) on every Redfish call, always from the same (password,
  BMC address). Memoising this pure function keeps power syncs of sushy hosts from loading an idle
  stack (~60% of a core for three hosts).
- Its cheroot WSGI server (10 threads, socket timeout 10 s) made fit for many clients:
  - cheroot hands each new connection to a thread at once, which waits up to 10 s for a request.
    Clients with connection pools (the provider's) open connections they use only later or never,
    and ten of them stopped the whole API for 10 s. New connections now wait with the idle
    keep-alive ones until the client sends.
  - a listen backlog of 1024 (was 5: fifty clients connecting at once had their SYNs dropped and
    retried 1, 3, 7 s later) and keep-alive for 500 connections (was 10: every further connection
    was closed after one request, and reconnected).
- Its database and threads made cheaper. Under load (50 hosts enrolled, inspected and cleaned at
  once) Ironic is the bottleneck of every test and benchmark: one process, bound by Python's GIL,
  spending ~1.3 s of CPU per host. Together these cut that by about a quarter:
  - SQLite connections pooled. oslo.db gives a file database no pool, so every transaction opened
    a connection, ran its PRAGMAs and closed it again (~20% of Ironic's CPU). Pooled connections
    are SQLAlchemy's own default for SQLite files; oslo.db's process guard still discards any a
    forked child inherits.
  - no `time.sleep(0)` after each transaction: oslo.db yields there for eventlet's green threads,
    which Ironic no longer uses; with real threads it only hands the GIL around.
  - a garbage-collection threshold of 50000 new objects (Python's is 700) and a GIL switch
    interval of 20 ms (5 ms): fewer collections of the same long-lived objects and fewer thread
    switches, which on a small VM cost as much CPU as the work they interleave.
  - pecan's argument inspection remembered: pecan builds a fresh namedtuple class every time it
    looks at a controller's signature, several times per request (~8% of the API's time).
"""

import functools
import gc
import hashlib
import sys

LISTEN_BACKLOG = 1024
KEEP_ALIVE_CONNECTIONS = 500
SQLITE_POOL_SIZE = 32
GC_THRESHOLD = (50000, 50, 100)
SWITCH_INTERVAL = 0.02


def remember_pbkdf2() -> None:
    hashlib.pbkdf2_hmac = functools.lru_cache(maxsize=1024)(hashlib.pbkdf2_hmac)


def fit_cheroot_for_fleets() -> None:
    from cheroot import connections, wsgi

    server_init = wsgi.Server.__init__

    def fleet_sized(self, *args, **kwargs):
        kwargs.setdefault("request_queue_size", LISTEN_BACKLOG)
        server_init(self, *args, **kwargs)
        self.keep_alive_conn_limit = KEEP_ALIVE_CONNECTIONS

    wsgi.Server.__init__ = fleet_sized

    accept = connections.ConnectionManager._from_server_socket

    def accept_to_selector(self, server_socket):
        conn = accept(self, server_socket)
        if conn is not None:
            self.put(conn)  # a thread takes it once it is readable
        return None

    connections.ConnectionManager._from_server_socket = accept_to_selector


def pool_sqlite_connections() -> None:
    from oslo_db.sqlalchemy import engines
    from sqlalchemy import pool

    connection_args = engines._init_connection_args

    def pooled(url, engine_args, kw):
        connection_args(url, engine_args, kw)
        if engine_args.get("poolclass") is pool.NullPool:  # oslo.db's choice for SQLite files
            engine_args.update(poolclass=pool.QueuePool, pool_size=SQLITE_POOL_SIZE, max_overflow=-1,
                               pool_pre_ping=False)  # a local file does not drop connections
            engine_args["connect_args"]["check_same_thread"] = False

    engines._init_connection_args = pooled
    engines._thread_yield = lambda *_: None


def remember_pecan_argspecs() -> None:
    import pecan.util

    pecan.util._getargspec = functools.lru_cache(maxsize=4096)(pecan.util._getargspec)


def tune_interpreter() -> None:
    gc.set_threshold(*GC_THRESHOLD)
    sys.setswitchinterval(SWITCH_INTERVAL)


def main() -> None:
    command, prog = sys.argv[1], sys.argv[2]
    remember_pbkdf2()
    fit_cheroot_for_fleets()
    pool_sqlite_connections()
    remember_pecan_argspecs()
    tune_interpreter()
    module = __import__(f"ironic.command.{command}", fromlist=["main"])
    # Unlike the changes above, this one alters results: see fake_steps.py. After the command's
    # import, which selects oslo.service's threading backend before any driver module loads.
    from m3stack.fake_steps import give_fake_interfaces_their_steps

    give_fake_interfaces_their_steps()
    sys.argv = [prog, *sys.argv[3:]]
    sys.exit(module.main())


if __name__ == "__main__":
    main()
