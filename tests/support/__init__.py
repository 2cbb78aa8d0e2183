"""What the tests share: helpers, test doubles and fixtures used by more than one test folder.

``tests/`` is on the path (``pythonpath`` in pyproject.toml's pytest options), so a test
imports ``from support.cases import submitted_case``. One module per subject:

- ``applications``: synthetic citizens, the shipped and small published service definitions;
- ``form_browser``: a no-JS "browser" that posts a step form as a browser would; tiny files;
- ``cases``: cases opened by submitting real applications over HTTP;
- ``case_matrix``: the permission matrix's world, actors, routes and verdicts;
- ``nabovarsel``: a nabovarsel filled in and submitted over HTTP, the text of a PDF;
- ``messaging``: a fake SMS gateway and a failing channel;
- ``catalog``: small service definitions for the catalogue tests;
- ``oidc_double``, ``oidc_browser``, ``accounts_urls``: an OIDC provider over HTTP, the
  browser's part of a login, and a URLconf for the session tests;
- ``pages``: the text of an HTML response;
- ``browser``: Playwright fixtures (Debian's Chromium, axe), ``seed_journeys`` and
  ``case_journeys``: the browser journeys of tests/e2e.

Log a test client in with ``iktipet.accounts.testing`` (``sign_in_citizen``,
``sign_in_staff``). Fixtures used across folders are in tests/conftest.py; a folder's own in
its conftest.py.
"""
