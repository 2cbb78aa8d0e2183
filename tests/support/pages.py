"""What a person reads on a page: the text of an HTML response."""

from __future__ import annotations

import re


def text_of(response) -> str:
    """The page's text with tags removed and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
