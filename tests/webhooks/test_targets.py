"""The SSRF guard: which addresses a webhook may reach, at subscription time and before each attempt."""

import ipaddress
import socket
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from pytest_django import Settings

from tests.webhooks.conftest import SubscribeFn
from tests.webhooks.receiver import fake_dns
from webhooks.targets import TargetRefused, is_public_address, resolve_target


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.8.8",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.10",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # shared address space (CGNAT)
        "0.0.0.0",
        "224.0.0.251",  # multicast, which Python counts as "global"
        "255.255.255.255",
        "192.0.2.1",  # documentation
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:10.0.0.1",
        "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
    ],
)
def test_private_and_special_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.215.14", "2606:4700:4700::1111", "2a00:1450:4001::1"])
def test_public_addresses_are(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.0.0.5:8443/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://localhost/hook",  # a name resolving to loopback
    ],
)
def test_resolve_target_refuses_private_targets_when_not_allowed(url: str) -> None:
    with pytest.raises(TargetRefused) as refused:
        resolve_target(url, allow_private=False)
    assert refused.value.code == "private_address"


def test_a_name_resolving_to_loopback_or_to_a_mix_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"evil.example": ["127.0.0.1"]})
    with pytest.raises(TargetRefused, match="private_address"):
        resolve_target("https://evil.example/hook", allow_private=False)

    real = socket.getaddrinfo

    def mixed(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        if host == "mixed.example":
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port)),
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", mixed)
    with pytest.raises(TargetRefused, match="private_address"):
        resolve_target("https://mixed.example/hook", allow_private=False)


def test_a_public_target_resolves_to_the_address_that_will_be_used(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"hooks.partner.example": ["93.184.215.14"]})
    target = resolve_target("https://hooks.partner.example/talentbrug", allow_private=False)
    assert (target.scheme, target.host, target.port, target.address) == (
        "https",
        "hooks.partner.example",
        443,
        "93.184.215.14",
    )


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://93.184.215.14/hook", "https_required"),
        ("ftp://93.184.215.14/hook", "invalid_url"),
        ("https:///hook", "invalid_url"),
        ("https://93.184.215.14:99999/hook", "invalid_url"),
        ("https://user:pass@93.184.215.14/hook", "credentials_in_url"),
    ],
)
def test_malformed_or_plain_http_urls_are_refused_in_production(url: str, code: str) -> None:
    with pytest.raises(TargetRefused) as refused:
        resolve_target(url, allow_private=False)
    assert refused.value.code == code


def test_an_unknown_host_is_a_dns_error(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"gone.example": ["NXDOMAIN"]})
    with pytest.raises(TargetRefused, match="dns_error"):
        resolve_target("https://gone.example/hook", allow_private=False)


def test_allowing_private_targets_allows_loopback_and_http() -> None:
    target = resolve_target("http://127.0.0.1:8080/hook", allow_private=True)
    assert (target.address, target.port) == ("127.0.0.1", 8080)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://localhost/hook", "private_address"),
        ("https://10.20.30.40/hook", "private_address"),
        ("http://93.184.215.14/hook", "https_required"),
        ("https://gone.example/hook", "dns_error"),
    ],
)
def test_a_subscription_to_a_refused_url_is_a_validation_error_on_the_url(
    settings: Settings, subscribe: SubscribeFn, monkeypatch: pytest.MonkeyPatch, url: str, code: str
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    fake_dns(monkeypatch, {"gone.example": ["NXDOMAIN"]})
    with pytest.raises(ValidationError) as refused:
        subscribe(url)
    assert [error.code for error in refused.value.error_dict["url"]] == [code]


@pytest.mark.django_db
def test_in_production_a_public_https_target_is_accepted(
    settings: Settings, subscribe: SubscribeFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    looked_up = fake_dns(monkeypatch, {"hooks.partner.example": ["93.184.215.14"]})
    subscription, _ = subscribe("https://hooks.partner.example/talentbrug")
    assert subscription.pk and looked_up == ["hooks.partner.example"]
