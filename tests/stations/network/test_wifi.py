"""The room's Wi-Fi QR payload (issue 19 item 4): the ``WIFI:`` scheme, escaped per ZXing."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stations.network.wifi import WifiNetwork, check_wifi, escape, wifi_payload
from tests.fuzzing import fuzz_settings
from workshop.errors import ValidationError


@pytest.mark.parametrize("network, payload", [
    (WifiNetwork("Room 12", "WPA", "secret123"), "WIFI:T:WPA;S:Room 12;P:secret123;;"),
    (WifiNetwork("Café; \"East\"", "WPA", "a:b,c\\d;e!"),
     'WIFI:T:WPA;S:Café\\; \\"East\\";P:a\\:b\\,c\\\\d\\;e!;;'),
    (WifiNetwork("Library", "none"), "WIFI:T:nopass;S:Library;;"),
    (WifiNetwork("Hidden", "WPA", "password!", hidden=True),
     "WIFI:T:WPA;S:Hidden;P:password!;H:true;;"),
    (WifiNetwork("Old", "WEP", "abcde"), 'WIFI:T:WEP;S:Old;P:"abcde";;'),  # hex-looking: quoted
    (WifiNetwork("CAFE", "WPA", "12345678"), 'WIFI:T:WPA;S:"CAFE";P:"12345678";;'),
    (WifiNetwork("张伟的网络", "WPA", "zhangwei!"), "WIFI:T:WPA;S:张伟的网络;P:zhangwei!;;"),
])
def test_the_payload_of_a_network(network, payload):
    assert wifi_payload(network) == payload


@pytest.mark.parametrize("network, says", [
    (WifiNetwork("", "WPA", "secret123"), "Type the Wi-Fi's name"),
    (WifiNetwork("   ", "WPA", "secret123"), "Type the Wi-Fi's name"),
    (WifiNetwork("x" * 33, "WPA", "secret123"), "at most 32 bytes"),
    (WifiNetwork("é" * 17, "WPA", "secret123"), "at most 32 bytes"),  # 34 bytes in UTF-8
    (WifiNetwork("Room", "WPA", "short"), "8 to 63"),
    (WifiNetwork("Room", "WPA", "x" * 64), "8 to 63"),
    (WifiNetwork("Room", "WPA", "mötley crüe"), "8 to 63"),
    (WifiNetwork("Room", "WEP", "abc"), "WEP key"),
    (WifiNetwork("Room", "none", "secret123"), "no password"),
    (WifiNetwork("Room", "WPA2-Enterprise", "secret123"), "security"),
    (WifiNetwork("Room\n2", "WPA", "secret123"), "cannot type"),
    (WifiNetwork("Room", "WPA", "secret\t123"), "cannot type"),
])
def test_a_network_no_phone_could_join_is_refused_in_one_line(network, says):
    with pytest.raises(ValidationError, match=says) as refused:
        wifi_payload(network)
    assert "\n" not in str(refused.value)


def test_wpa_takes_a_64_hex_digit_key():
    assert check_wifi(WifiNetwork("Room", "WPA", "ab" * 32))


def parse(payload: str) -> dict[str, str]:
    """A reader of the scheme as ZXing's is: backslash escapes, quoted values, ``;`` ends a field."""
    assert payload.startswith("WIFI:") and payload.endswith(";;")
    fields, key, value, i, body = {}, "", [], 0, payload[5:-1]
    quoted = False   # only an unescaped quote around the whole value is the hex guard
    while i < len(body):
        ch = body[i]
        if not key:
            end = body.index(":", i)
            key, i = body[i:end], end + 1
            quoted = body[i] == '"'
            continue
        if ch == "\\":
            value.append(body[i + 1])
            i += 2
            continue
        if ch == ";":
            text = "".join(value)
            fields[key] = text[1:-1] if quoted else text
            key, value = "", []
        else:
            value.append(ch)
        i += 1
    return fields


printable = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cf", "Co", "Cn")),
                    min_size=1, max_size=32)


@pytest.mark.fuzz
@fuzz_settings(300)
@given(ssid=printable, password=st.text(st.characters(min_codepoint=32, max_codepoint=126),
                                        min_size=8, max_size=63))
def test_fuzz_any_name_and_password_read_back_exactly(ssid, password):
    network = WifiNetwork(ssid, "WPA", password)
    try:
        payload = wifi_payload(network)
    except ValidationError as refused:
        assert "\n" not in str(refused)
        assert not ssid.strip() or len(ssid.encode()) > 32 or not all(c.isprintable() for c in ssid)
        return
    assert parse(payload) == {"T": "WPA", "S": ssid, "P": password}


@pytest.mark.fuzz
@fuzz_settings(300)
@given(st.text(max_size=40))
def test_fuzz_escape_leaves_no_bare_special_character(value):
    escaped = escape(value)
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            assert escaped[i + 1] in '\\;,:"'
            i += 2
            continue
        assert escaped[i] not in '\\;,:"'
        i += 1
