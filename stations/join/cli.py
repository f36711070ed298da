"""``workshop serve``: the join server without a window (the same handlers as the GUI)."""
from __future__ import annotations

import argparse
import json
import signal
import sys
import threading



def register(sub: argparse._SubParsersAction) -> None:
    """Add ``workshop serve`` to the CLI."""
    p = sub.add_parser(
        "serve", help="let phones join an academy's stations (no window)",
        description="Serve the phone join page for one academy. Prints one JSON line per station "
                    '({"station": …, "url": …}), then serves until interrupted (Ctrl+C).')
    p.add_argument("--academy", required=True, metavar="TITLE", help="the academy's title")
    p.add_argument("--host", default=None,
                   help="address to listen on (default: every interface, with the laptop's LAN "
                        "address in the links; 127.0.0.1 keeps it on this computer)")
    p.add_argument("--port", type=int, default=None,
                   help="port (default: $WORKSHOP_PORT or 8765; 0 picks a free one; a busy port "
                        "falls back to a free one, and says so)")
    p.set_defaults(handler=cmd_serve)


def cmd_serve(args, open_context, stop: threading.Event | None = None) -> int:
    """Serve one academy's phones until interrupted (or ``stop`` is set); the exit code."""
    from workshop.net import ServerError  # aiohttp: only when a server is wanted

    ctx = open_context()
    academy = ctx.academies.find(args.academy)
    if args.port is not None and not 0 <= args.port <= 65535:
        print(f"error: a port is a number from 0 to 65535 (got {args.port}).", file=sys.stderr)
        return 2
    try:
        # Only this academy's links: another academy's QR code must not work here.
        bound = ctx.join.start_server(host=args.host, port=args.port, academy_id=academy.id)
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    stop = stop or threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set()) \
        if threading.current_thread() is threading.main_thread() else None
    try:
        for link in ctx.join.links(academy.id):
            print(json.dumps({"station": link.title, "url": link.url}, ensure_ascii=False),
                  flush=True)
        print(f"{bound.note} Press Ctrl+C to stop.", file=sys.stderr, flush=True)
        if moved := ctx.join.network.moved(academy.id):   # the printed signs point elsewhere
            print(f"warning: {moved}", file=sys.stderr, flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        ctx.join.stop_server()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    print("Stopped; every check-in is saved.", file=sys.stderr)
    return 0
