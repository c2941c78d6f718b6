"""Which proxy a request goes through, read from proxy variables as curl reads them."""

from __future__ import annotations

import urllib.request

import httpx
import pytest

from statuspage.probes.proxies import Proxies, Proxy, ProxyUsageError

PROXY = "http://proxy.corp.example:3128"


def through(url: str, **variables: str) -> str | None:
    """Where a request of `url` goes with `variables` (keyed 'http', 'https', 'all', 'no')."""
    proxy = Proxies.read(variables).for_url(httpx.URL(url))
    return None if proxy is None else proxy.shown


def test_each_scheme_has_its_proxy_and_all_proxy_stands_in_for_a_missing_one() -> None:
    both = {"http": "http://plain.example:3128", "https": "http://secure.example:3129"}
    assert through("http://api.example.com/", **both) == "plain.example:3128"
    assert through("https://api.example.com/", **both) == "secure.example:3129"
    assert through("http://api.example.com/", https=PROXY) is None
    assert through("https://api.example.com/", http=PROXY) is None
    fallback = {"all": "http://all.example:8080", "https": "http://secure.example:3129"}
    assert through("http://api.example.com/", **fallback) == "all.example:8080"
    assert through("https://api.example.com/", **fallback) == "secure.example:3129"
    assert through("https://api.example.com/", https="  ", all=PROXY) == "proxy.corp.example:3128"
    assert through("https://api.example.com/") is None
    assert Proxies().for_url(httpx.URL("https://api.example.com/")) is None


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("http://proxy.corp.example:3128", "proxy.corp.example:3128"),
        ("proxy.corp.example:3128", "proxy.corp.example:3128"),  # http:// is curl's default
        ("http://proxy.corp.example", "proxy.corp.example:80"),
        ("https://proxy.corp.example", "proxy.corp.example:443"),
        ("HTTP://Proxy.Corp.Example:3128/", "proxy.corp.example:3128"),
        ("http://[::1]:3128", "[::1]:3128"),
        ("http://user:s3cret@10.0.0.5:3128", "10.0.0.5:3128"),
    ],
)
def test_a_proxy_is_shown_by_its_host_and_port_only(written: str, shown: str) -> None:
    proxy = Proxies.read({"https": written}).https
    assert proxy is not None
    assert proxy.shown == shown
    assert "s3cret" not in repr(proxy)


def test_the_credentials_stay_in_the_address_the_connection_uses() -> None:
    proxy = Proxies.read({"http": "user:s%40cret@proxy.corp.example:3128"}).http
    assert proxy == Proxy("proxy.corp.example:3128", "http://user:s%40cret@proxy.corp.example:3128")
    assert repr(proxy) == "Proxy(shown='proxy.corp.example:3128')"


@pytest.mark.parametrize(
    ("no_proxy", "url", "direct"),
    [
        ("example.com", "https://example.com/", True),
        ("example.com", "https://api.example.com/", True),
        ("example.com", "https://badexample.com/", False),
        ("example.com", "https://example.com.evil.test/", False),
        (".example.com", "https://example.com/", True),
        (".example.com", "https://a.b.example.com/", True),
        ("*.example.com", "https://api.example.com/", True),
        ("EXAMPLE.com", "https://Api.Example.COM./", True),
        ("example.com.", "https://api.example.com/", True),
        ("internal.test, example.com", "https://api.example.com/", True),
        (" internal.test ,,", "https://api.example.com/", False),
        ("internal.test example.com", "https://api.example.com/", True),
        ("*", "https://api.example.com/", True),
        ("internal.test,*", "https://api.example.com/", True),
        ("example.com:8443", "https://api.example.com:8443/", True),
        ("example.com:8443", "https://api.example.com/", False),
        ("example.com:443", "https://api.example.com/", True),  # the scheme's port
        ("example.com:80", "http://api.example.com/", True),
        ("10.1.2.3", "http://10.1.2.3:8080/", True),
        ("10.1.2.3", "http://10.1.2.4/", False),
        ("10.1.2.3:8080", "http://10.1.2.3:8080/", True),
        ("10.1.2.3:8080", "http://10.1.2.3/", False),
        ("10.0.0.0/8", "http://10.200.0.1/", True),
        ("10.0.0.0/8", "http://11.0.0.1/", False),
        ("10.0.0.1/8", "http://10.200.0.1/", True),  # the host bits are ignored, as curl does
        ("0.1", "http://10.0.0.1/", False),  # an address matches address entries only
        ("::1", "http://[::1]:8080/", True),
        ("[::1]", "http://[0:0::1]/", True),
        ("[::1]:8080", "http://[::1]:8080/", True),
        ("[::1]:8080", "http://[::1]:8081/", False),
        ("fd00::/8", "https://[fd12::5]/", True),
        ("10.0.0.0/8", "https://[fd12::5]/", False),
        ("localhost", "http://localhost:8000/", True),
        ("127.0.0.1", "http://localhost:8000/", False),  # names are never resolved
        ("10.0.0.0/99, example.com:http, [::1, example.*", "https://api.example.com/", False),
    ],
)
def test_no_proxy_sends_the_hosts_it_names_direct(no_proxy: str, url: str, direct: bool) -> None:
    found = through(url, http=PROXY, https=PROXY, no=no_proxy)
    assert found == (None if direct else "proxy.corp.example:3128")


@pytest.mark.parametrize(
    "no_proxy", ["example.com", ".example.com", "Example.Com", "other.test,example.com", "com"]
)
@pytest.mark.parametrize(
    "host", ["example.com", "api.example.com", "badexample.com", "example.org", "x.y.example.com"]
)
def test_domain_entries_bypass_as_the_standard_library_reads_them(no_proxy: str, host: str) -> None:
    direct = through(f"https://{host}/", https=PROXY, no=no_proxy) is None
    assert direct == urllib.request.proxy_bypass_environment(host, {"no": no_proxy})


def test_the_environment_is_read_lowercase_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://upper.example:3128")
    monkeypatch.setenv("https_proxy", "http://lower.example:3128")
    monkeypatch.setenv("HTTP_PROXY", "http://upper.example:3128")
    monkeypatch.setenv("http_proxy", "")  # set and empty: no proxy, whatever HTTP_PROXY says
    monkeypatch.setenv("NO_PROXY", "internal.test")
    monkeypatch.setenv("FTP_PROXY", "http://ftp.example:21")
    proxies = Proxies.from_environment()
    assert proxies.https == Proxy("lower.example:3128", "http://lower.example:3128")
    assert proxies.http is None
    assert proxies.for_url(httpx.URL("https://api.internal.test/")) is None


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"https": "socks5://user:s3cret@proxy.corp.example:1080"},
            "HTTPS_PROXY: statuspage reaches a proxy over http:// or https://, not socks5:// "
            "('socks5://***@proxy.corp.example:1080'); "
            "name one such as http://proxy.example.com:3128",
        ),
        (
            {"all": "ftp://proxy.corp.example"},
            "ALL_PROXY: statuspage reaches a proxy over http:// or https://, not ftp:// "
            "('ftp://proxy.corp.example'); name one such as http://proxy.example.com:3128",
        ),
        (
            {"http": "http://user:pa/ss:wo@rd@proxy.corp.example:99999"},
            "HTTP_PROXY: 'http://***@proxy.corp.example:99999' is not a proxy's address; "
            "write one such as http://proxy.example.com:3128",
        ),
        (
            {"http": "http://:3128"},
            "HTTP_PROXY: 'http://:3128' is not a proxy's address; "
            "write one such as http://proxy.example.com:3128",
        ),
    ],
)
def test_a_proxy_that_cannot_be_used_is_an_error_without_its_credentials(
    variables: dict[str, str], message: str
) -> None:
    with pytest.raises(ProxyUsageError) as raised:
        Proxies.read(variables)
    assert str(raised.value) == message


def test_a_variable_another_one_replaces_is_not_read() -> None:
    proxies = Proxies.read({"all": "socks5://localhost:1080", "http": PROXY, "https": PROXY})
    assert proxies.http == proxies.https == Proxy("proxy.corp.example:3128", PROXY)
