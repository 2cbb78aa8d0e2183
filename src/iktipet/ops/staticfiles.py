"""Static files with hashed names, precompressed, cached for ever by the browser.

``iktipet serve`` runs ``collectstatic`` before it starts (see ``cli.collect_static``): every
file is copied to ``STATIC_ROOT`` under a name holding a hash of its content
(``portal.3f2a….css``), with a brotli and a gzip copy beside it, and ``staticfiles.json``
maps each name to its hashed one. WhiteNoise then serves the hashed names with
``Cache-Control: max-age=315360000, public, immutable`` and picks the ``.br`` or ``.gz`` copy
the browser accepts, so a repeat visit loads only the page.

Where ``collectstatic`` has not run (tests, ``runserver``, a fresh checkout), there is no
manifest: templates then get the plain names, which WhiteNoise serves from the apps' static
directories (``WHITENOISE_USE_FINDERS``). Nothing fails for want of a build step.
"""

from __future__ import annotations

import os

from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage, falling back to the plain names (served
    from the finders) while no manifest exists."""

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:  # no staticfiles.json: collectstatic has not run here
            return name
        try:
            return super().stored_name(name)
        except ValueError:  # a file added since the last collectstatic: served unhashed
            return name


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, quiet about a STATIC_ROOT that collectstatic has not made yet (tests, the
    demo, ``runserver``): the finders serve every file then."""

    def add_files(self, root: str, prefix: str | None = None) -> None:
        if os.path.isdir(root):
            super().add_files(root, prefix)
