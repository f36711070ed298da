"""Signs that carry the room's Wi-Fi and their address (issue 19 items 4-5): the Wi-Fi is kept
in the local file only, the signs PDF's codes decode with zbarimg, a sign says what it was printed
for, loopback and no network warn, a later address says so, and the port is kept."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import types

import pytest

from stations.network.service import moved_note
from stations.network.wifi import WifiNetwork
from tests import ports
from tests.conftest import require_tool
from tests.stations.join.phone import Phone
from workshop.errors import ValidationError
from workshop.net import address

ROOM = WifiNetwork("Room 12; East", "WPA", 'pa:ss,w"rd\\1')
PAYLOAD = 'WIFI:T:WPA;S:Room 12\\; East;P:pa\\:ss\\,w\\"rd\\\\1;;'


@pytest.fixture
def lan(monkeypatch):
    """The laptop's address on the LAN, as the seam reports it (no real network needed)."""
    where = {"address": "192.168.1.20"}
    monkeypatch.setattr("stations.join.service.lan_address", lambda: where["address"])
    monkeypatch.setattr("workshop.net.server.lan_address", lambda: where["address"])
    return where


@pytest.fixture
def net_ctx(tmp_path, clock, lan):
    """A context as the app runs it: every interface, the default port."""
    from workshop.app import build_context
    from workshop.config import AppConfig
    context = build_context(AppConfig(db_path=tmp_path / "room.sqlite", host=None, port=8765),
                            clock=clock)
    context.join.network.local_name = lambda host: "studio.local" if host == "192.168.1.20" else ""
    yield context
    context.join.stop_server()
    context.close()


def decode_pdf(tmp_path, pdf: bytes) -> list[str]:
    zbarimg = require_tool("zbarimg", "decodes the QR codes on the printed signs")
    pdftoppm = require_tool("pdftoppm", "renders the signs")
    (tmp_path / "signs.pdf").write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", "150", "-png", str(tmp_path / "signs.pdf"),
                    str(tmp_path / "sign")], check=True, timeout=60)
    codes = []
    for png in sorted(tmp_path.glob("sign-*.png")):
        done = subprocess.run([zbarimg, "--quiet", "--raw", str(png)], capture_output=True,
                              text=True, timeout=30)
        codes += done.stdout.splitlines()
    return codes


def pdf_text(tmp_path, pdf: bytes) -> str:
    pdftotext = require_tool("pdftotext", "reads the signs' words")
    (tmp_path / "t.pdf").write_bytes(pdf)
    return subprocess.run([pdftotext, str(tmp_path / "t.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_the_signs_carry_the_wifi_code_beside_each_station_code(tmp_path, net_ctx):
    ctx = net_ctx
    academy = ctx.academies.create("Spring Academy")
    ctx.join.network.set_wifi(academy.id, ROOM)
    assert ctx.join.network.wifi(academy.id) == ROOM
    pdf = ctx.handouts.make("signs", academy.id, None)
    links = [link.url for link in ctx.join.links(academy.id)]
    codes = decode_pdf(tmp_path, pdf)
    assert sorted(codes) == sorted(links + [PAYLOAD] * len(links))
    text = pdf_text(tmp_path, pdf)
    assert "Join the Wi-Fi" in text and "Room 12; East" in text
    assert "pa:ss" not in text   # the password is in the code only, never in words
    assert text.count("printed for http://192.168.1.20:8765") == len(links)
    assert "or http://studio.local:8765/s/" in text   # the .local name, a second line


def test_without_a_wifi_the_sign_has_one_code(tmp_path, net_ctx):
    academy = net_ctx.academies.create("Spring Academy")
    codes = decode_pdf(tmp_path, net_ctx.handouts.make("signs", academy.id, None))
    assert sorted(codes) == sorted(link.url for link in net_ctx.join.links(academy.id))


def test_a_wifi_no_phone_could_join_is_refused_and_nothing_changes(net_ctx):
    academy = net_ctx.academies.create("Spring Academy")
    net = net_ctx.join.network
    net.set_wifi(academy.id, ROOM)
    with pytest.raises(ValidationError, match="8 to 63"):
        net.set_wifi(academy.id, WifiNetwork("Room", "WPA", "short"))
    assert net.wifi(academy.id) == ROOM
    assert net.set_wifi(academy.id, None) == ROOM   # forgetting returns it, for undo
    assert net.wifi(academy.id) is None and net.wifi_code(academy.id) == ""


def test_a_phone_never_hears_the_wifi(net_ctx):
    ctx = net_ctx
    academy = ctx.academies.create("Spring Academy")
    ctx.join.network.set_wifi(academy.id, ROOM)
    bound = ctx.join.start_server(host="127.0.0.1", port=0)
    phone = Phone(bound.base_url, cookies=True)
    token = ctx.join.links(academy.id)[0].token
    for path in (f"/s/{token}", f"/api/v1/s/{token}/state", f"/api/v1/s/{token}/names?q=Room"):
        reply = phone.get(path)
        assert "Room 12" not in reply.text and "pa:ss" not in reply.text, path


def test_the_app_says_when_the_laptop_moved_to_another_network(net_ctx, lan):
    ctx = net_ctx
    academy = ctx.academies.create("Spring Academy")
    net = ctx.join.network
    assert net.moved(academy.id) == ""    # never printed
    ctx.handouts.make("signs", academy.id, None)
    assert net.printed_for(academy.id) == "http://192.168.1.20:8765"
    assert net.moved(academy.id) == ""
    lan["address"] = "10.0.0.5"
    assert net.moved(academy.id) == ("signs were printed for 192.168.1.20:8765; this laptop is "
                                     "now 10.0.0.5 — reprint, or let phones use the projector's "
                                     "code")
    ctx.handouts.make("signs", academy.id, None)   # reprinted: fine again
    assert net.moved(academy.id) == ""


@pytest.mark.parametrize("printed, now, says", [
    ("", "http://10.0.0.5:8765", ""),
    ("http://10.0.0.5:8765", "http://10.0.0.5:8765", ""),
    ("http://192.168.1.20:8765", "http://10.0.0.5:8765", "this laptop is now 10.0.0.5 —"),
    ("http://192.168.1.20:8765", "http://192.168.1.20:41235",
     "this laptop is now 192.168.1.20:41235 —"),
])
def test_the_moved_note(printed, now, says):
    note = moved_note(printed, now)
    assert (says in note) if says else note == ""


def test_signs_on_no_network_or_loopback_warn_and_say_why(net_ctx, lan, run_cli):
    ctx = net_ctx
    academy = ctx.academies.create("Spring Academy")
    signs = ctx.handouts.kind("signs")
    assert signs.warning(academy.id) == ""
    lan["address"] = "127.0.0.1"
    assert "on no network" in signs.warning(academy.id)
    lan["address"] = "192.168.1.20"
    ctx.join.start_server(host="127.0.0.1", port=0)
    assert "listens on this laptop only (127.0.0.1)" in signs.warning(academy.id)
    ctx.join.stop_server()
    assert signs.warning(academy.id) == ""   # stopped: it will listen on every network again


def test_the_cli_warns_when_the_laptop_is_on_no_network(run_cli, ctx, academy, tmp_path, lan):
    lan["address"] = "127.0.0.1"   # what the seam says with no network at all
    code, out, err = run_cli("handout", "signs", "--academy", academy.title, "--out",
                             str(tmp_path / "signs.pdf"))
    assert code == 0 and "Wrote" in out
    assert err.count("\n") == 1 and err.startswith("warning: This laptop is on no network")
    code, out, err = run_cli("handout", "pack", "--academy", academy.title, "--out",
                             str(tmp_path / "pack"))
    assert code == 0 and "warning: This laptop is on no network" in err   # the pack says it too
    lan["address"] = "192.168.1.20"
    code, out, err = run_cli("handout", "signs", "--academy", academy.title, "--out",
                             str(tmp_path / "signs.pdf"))
    assert code == 0 and err == ""


def free_port() -> int:
    return ports.free_port()   # outside the ephemeral range: the app must find it free again


def test_the_server_tries_last_times_port_first(tmp_path, clock, lan):
    from workshop.app import build_context
    from workshop.config import AppConfig
    first = free_port()
    second = next(p for p in iter(free_port, None) if p != first)

    def start(port: int):
        """The app started again on the same data file, configured for ``port``."""
        ctx = build_context(AppConfig(db_path=tmp_path / "p.sqlite", host="127.0.0.1", port=port),
                            clock=clock)
        try:
            return ctx.join.start_server()
        finally:
            ctx.join.stop_server()
            ctx.close()

    assert start(first).port == first
    assert start(second).port == first   # the signs printed last time keep working
    with socket.socket() as taken:       # last time's port is busy now: another one is used
        taken.bind(("127.0.0.1", first))
        taken.listen()
        bound = start(second)
        assert bound.port != first and bound.fell_back
    assert start(second).port == bound.port   # and that one is kept from then on


class FakeResolver:
    answers: dict[str, list[str]] = {}

    def __init__(self, name):
        self.name = name

    def request(self, zc, timeout_ms):
        return self.name in self.answers

    def parsed_addresses(self):
        return self.answers.get(self.name, [])


class FakeZeroconf:
    def __init__(self, interfaces):
        self.interfaces = interfaces

    def close(self):
        pass


@pytest.fixture
def fake_zeroconf(monkeypatch):
    module = types.ModuleType("zeroconf")
    module.Zeroconf = FakeZeroconf
    module.AddressResolverIPv4 = FakeResolver
    monkeypatch.setitem(sys.modules, "zeroconf", module)
    monkeypatch.setattr(socket, "gethostname", lambda: "studio.example.org")
    address.local_name.cache_clear()
    yield FakeResolver
    address.local_name.cache_clear()


def test_the_local_name_is_printed_only_where_it_resolves_to_this_laptop(fake_zeroconf):
    fake_zeroconf.answers = {"studio.local.": ["192.168.1.20"]}
    assert address.local_name("192.168.1.20") == "studio.local"
    assert address.local_name("10.0.0.5") == ""        # answers with another address
    fake_zeroconf.answers = {}
    address.local_name.cache_clear()
    assert address.local_name("192.168.1.20") == ""    # nobody answers
    assert address.local_name("127.0.0.1") == ""       # loopback is never a LAN name


def test_serve_warns_when_the_printed_signs_point_elsewhere(net_ctx, capsys):
    import argparse
    import threading

    from stations.join.cli import cmd_serve
    academy = net_ctx.academies.create("Spring Academy")
    net_ctx.join.network.record_printed(academy.id, "http://10.0.0.5:8765")
    stop = threading.Event()
    stop.set()   # serve, print what it has to say, and stop at once
    args = argparse.Namespace(academy="Spring Academy", host=None, port=0)
    assert cmd_serve(args, lambda: net_ctx, stop) == 0
    err = capsys.readouterr().err
    assert ("warning: signs were printed for 10.0.0.5:8765; this laptop is now 192.168.1.20:"
            in err) and "reprint, or let phones use the projector's code" in err


class Resolver:
    """A multicast DNS lookup the test holds: it answers ``name`` once released."""

    def __init__(self, name: str = "studio.local"):
        self.name, self.asked, self.release = name, [], threading.Event()

    def __call__(self, host: str) -> str:
        self.asked.append(host)
        self.release.wait()
        return self.name if host == "192.168.1.20" else ""


@pytest.fixture
def resolver(net_ctx):
    """The real background lookup over a resolver the test holds (short wait: a test's time)."""
    held = Resolver()
    net_ctx.join.network.local_name = address.LocalNames(held, wait_s=0.01)
    yield held
    held.release.set()   # let the lookup's thread end


def test_printing_the_signs_never_waits_for_a_name_nobody_answers(tmp_path, net_ctx, resolver):
    academy = net_ctx.academies.create("Spring Academy")
    pdf = net_ctx.handouts.make("signs", academy.id, None)   # the resolver has not answered
    assert resolver.asked == ["192.168.1.20"] and not resolver.release.is_set()
    text = pdf_text(tmp_path, pdf)
    assert "printed for http://192.168.1.20:8765" in text and ".local" not in text
    resolver.release.set()   # the answer arrives later: the next signs carry it, not asked again
    net_ctx.join.network.local_name.start("192.168.1.20").wait(5)
    assert "or http://studio.local:8765/s/" in pdf_text(tmp_path, net_ctx.handouts.make(
        "signs", academy.id, None))
    assert resolver.asked == ["192.168.1.20"]


def test_the_server_starts_the_lookup_when_it_binds(tmp_path, net_ctx, resolver):
    academy = net_ctx.academies.create("Spring Academy")
    net_ctx.join.start_server(port=0)
    assert resolver.asked == ["192.168.1.20"]   # asked on binding, before anything printed
    resolver.release.set()
    net_ctx.join.network.local_name.start("192.168.1.20").wait(5)
    text = pdf_text(tmp_path, net_ctx.handouts.make("signs", academy.id, None))
    assert "or http://studio.local:" in text and resolver.asked == ["192.168.1.20"]


def test_a_lookup_that_fails_or_a_loopback_address_is_no_name():
    def broken(host: str) -> str:
        raise OSError("no multicast here")
    names = address.LocalNames(broken, wait_s=5)
    assert names("192.168.1.20") == "" and names("127.0.0.1") == ""
    assert address.PRINT_WAIT_S <= 0.5   # printing waits a moment, never the lookup's 1.5 s


def test_callers_share_one_short_wait_for_a_lookup_under_way():
    # Printing asks several times (the warning, then the signs): each waiting its own bound
    # added up to the lookup's timeout again.
    held = Resolver()
    names = address.LocalNames(held, wait_s=0.2)
    try:
        started = time.monotonic()
        assert names("192.168.1.20") == ""
        waited = time.monotonic() - started
        again = time.monotonic()
        for _ in range(5):
            assert names("192.168.1.20") == ""
        assert time.monotonic() - again < waited   # the later asks did not wait again
    finally:
        held.release.set()
