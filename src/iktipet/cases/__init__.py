"""Cases (saker): what a submitted application becomes, and how the agency handles it.

A case has a number per agency and year (``2026/000123``), a workflow declared as data
(``workflows/*.yaml``), a timeline, and at most one decision (enkeltvedtak). Writes go
through :mod:`iktipet.cases.services`, reads through :mod:`iktipet.cases.selectors`.
"""
