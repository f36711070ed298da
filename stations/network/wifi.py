"""The room's Wi-Fi as a QR code (issue 19 item 4): a phone that scans it joins the network.

The payload is the ``WIFI:`` scheme that ZXing defined and the Wi-Fi Alliance adopted
(``WIFI:T:WPA;S:<ssid>;P:<password>;;``), which Android's and iOS's camera apps read. It is
written by hand because it is a dozen lines and no maintained library is pinned for it; the
escaping follows the spec: ``\\ ; , : "`` take a backslash, and a value that could be read as
hex digits is put in double quotes so a reader keeps it as text.
"""
from __future__ import annotations

import string
from dataclasses import dataclass

from workshop.errors import ValidationError

SECURITIES = ("WPA", "WEP", "none")   # what the facilitator chooses (WPA covers WPA2/WPA3)
SECURITY_LABELS = {"WPA": "WPA/WPA2/WPA3", "WEP": "WEP (old)", "none": "None (open)"}
SPECIAL = '\\;,:"'
MAX_SSID_BYTES = 32                   # IEEE 802.11: an SSID is at most 32 octets
_HEX = set(string.hexdigits)


@dataclass(frozen=True)
class WifiNetwork:
    """The room's Wi-Fi: its name, security and password (stored in the local file only)."""
    ssid: str
    security: str = "WPA"   # one of SECURITIES
    password: str = ""
    hidden: bool = False


def escape(value: str) -> str:
    """``value`` with the ``WIFI:`` scheme's special characters backslash-escaped."""
    return "".join("\\" + ch if ch in SPECIAL else ch for ch in value)


def _field(value: str) -> str:
    # ZXing: an ASCII value made only of hex digits may be read as hex; quotes keep it text.
    if value and all(ch in _HEX for ch in value):
        return f'"{value}"'
    return escape(value)


def wifi_payload(network: WifiNetwork) -> str:
    """The QR code's text for ``network`` (``WIFI:T:WPA;S:…;P:…;;``)."""
    check_wifi(network)
    kind = "nopass" if network.security == "none" else network.security
    parts = [f"T:{kind}", f"S:{_field(network.ssid)}"]
    if network.security != "none":
        parts.append(f"P:{_field(network.password)}")
    if network.hidden:
        parts.append("H:true")
    return "WIFI:" + ";".join(parts) + ";;"


def check_wifi(network: WifiNetwork) -> WifiNetwork:
    """``network`` if a phone could join with it; else ValidationError, one line saying why."""
    ssid, password = network.ssid, network.password
    if network.security not in SECURITIES:
        raise ValidationError("Choose the Wi-Fi's security: WPA, WEP or none.")
    if not ssid.strip():
        raise ValidationError("Type the Wi-Fi's name (as phones list it).")
    if len(ssid.encode("utf-8")) > MAX_SSID_BYTES:
        raise ValidationError("A Wi-Fi name is at most 32 bytes: check the name.")
    for label, value in (("name", ssid), ("password", password)):
        if any(not ch.isprintable() for ch in value):
            raise ValidationError(f"The Wi-Fi {label} has a character phones cannot type "
                                  "(a tab, a line break or a control character).")
    if network.security == "none":
        if password:
            raise ValidationError("An open Wi-Fi has no password: clear it, or choose WPA.")
    elif network.security == "WPA":
        hex64 = len(password) == 64 and all(ch in _HEX for ch in password)
        if not (8 <= len(password) <= 63 or hex64) or not password.isascii():
            raise ValidationError("A WPA password is 8 to 63 letters, digits or signs "
                                  "(no accents).")
    elif len(password) not in (5, 13) and not (len(password) in (10, 26)
                                                and all(ch in _HEX for ch in password)):
        raise ValidationError("A WEP key is 5 or 13 characters, or 10 or 26 hex digits.")
    return network
