"""The name a stored upload is downloaded under: the detected type's extension."""

from __future__ import annotations

import pytest

from iktipet.documents.filetypes import download_name


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("poly.html", "application/pdf", "poly.pdf"),
        ("kart.PDF", "application/pdf", "kart.PDF"),
        ("bilde.jpeg", "image/jpeg", "bilde.jpeg"),
        ("bilde.png", "image/jpeg", "bilde.jpg"),
        ("skann", "image/tiff", "skann.tif"),
        ("scan.pdf", "image/png", "scan.png"),
    ],
)
def test_download_name(name, content_type, expected):
    assert download_name(name, content_type) == expected
