"""The virus scanner is a plugin like any other: chosen and checked from the settings.

The scanners themselves (clamd over TCP and a unix socket, failing closed) are tested with
the uploads that use them, in ``tests/applications/test_applications_uploads.py``.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from iktipet.core.registry import PluginError, plugin_statuses, registries
from iktipet.documents.antivirus import ClamAVScanner, NoScanner, virus_scanners
from iktipet.documents.uploads import format_size


def conf(antivirus: str, url: str = "tcp://clamd:3310") -> SimpleNamespace:
    return SimpleNamespace(ANTIVIRUS=antivirus, CLAMAV_URL=url)


def test_the_settings_choose_the_scanner_and_its_address():
    assert isinstance(virus_scanners.configured(conf("none")), NoScanner)
    scanner = virus_scanners.configured(conf("clamav", "unix:///run/clamd.sock"))
    assert isinstance(scanner, ClamAVScanner)
    assert scanner.url == "unix:///run/clamd.sock"


def test_an_unknown_scanner_is_refused():
    with pytest.raises(PluginError):
        virus_scanners.configured(conf("mcafee"))


def test_the_system_check_reports_a_bad_clamd_address():
    assert virus_scanners in registries()
    (status,) = plugin_statuses(conf("clamav", "http://clamd"), among=[virus_scanners])
    assert status.title == "virus scanner (IKTIPET_ANTIVIRUS=clamav)"
    assert status.problems and "IKTIPET_CLAMAV_URL" in status.problems[0]
    assert virus_scanners.problems(conf("clamav")) == []
    assert virus_scanners.problems(conf("none")) == []


@pytest.mark.parametrize(
    ("size", "text"), [(999, "999 B"), (12_400, "12 kB"), (3_400_000, "3,4 MB")]
)
def test_format_size(size, text):
    assert format_size(size) == text
