"""The Handouts page says why printed signs would not work (issue 19 item 5), and the Wi-Fi
boundary: whatever is typed, a Wi-Fi is stored exactly or refused with one line, nothing changed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stations.network.wifi import SECURITIES, WifiNetwork
from tests.fuzzing import fuzz_settings
from workshop.errors import ValidationError

HOSTILE = Path(__file__).parents[2] / "data" / "hostile" / "wifi" / "networks.json"


@pytest.mark.pages("handouts")
def test_the_handouts_page_warns_when_the_server_listens_on_loopback_only(window, ctx, academy):
    window.open_academy(academy.id)
    window.show_page("handouts")
    page = window.page("handouts")
    page.select("signs")
    # The tests' config listens on 127.0.0.1 only: the signs would carry that address.
    assert page.message.text().startswith("The join server listens on this laptop only "
                                          "(127.0.0.1), so no phone can open")
    assert page.pdf is not None   # the signs are still made: the warning says why they fail


def test_hostile_wifi_samples_are_stored_exactly_or_refused(ctx, academy):
    net = ctx.join.network
    good = WifiNetwork("Room 1", "WPA", "12345678")
    for sample in json.loads(HOSTILE.read_text(encoding="utf-8")):
        net.set_wifi(academy.id, good)
        network = WifiNetwork(sample["ssid"], sample["security"], sample["password"])
        if sample["ok"]:
            net.set_wifi(academy.id, network)
            assert net.wifi(academy.id) == network, sample
            assert net.wifi_code(academy.id).startswith("WIFI:T:")
        else:
            with pytest.raises(ValidationError) as refused:
                net.set_wifi(academy.id, network)
            assert "\n" not in str(refused.value), sample
            assert net.wifi(academy.id) == good, sample


@pytest.mark.fuzz
@fuzz_settings(150)
@given(ssid=st.text(max_size=40), security=st.sampled_from(SECURITIES + ("WPA3", "")),
       password=st.text(max_size=70))
def test_fuzz_a_wifi_is_stored_exactly_or_refused_with_nothing_changed(ctx, academy, ssid,
                                                                      security, password):
    net = ctx.join.network
    before = WifiNetwork("Room 1", "WPA", "12345678")
    net.set_wifi(academy.id, before)
    network = WifiNetwork(ssid, security, password)
    try:
        net.set_wifi(academy.id, network)
    except ValidationError as refused:
        assert str(refused) and "\n" not in str(refused)
        assert net.wifi(academy.id) == before
        return
    assert net.wifi(academy.id) == network
