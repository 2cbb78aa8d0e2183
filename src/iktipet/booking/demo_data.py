"""Demo: the bookable resources (after the agencies)."""

from __future__ import annotations

from iktipet.core.demo import loader


@loader(order=30)
def load_resources() -> None:
    from iktipet.booking.seed import load_gymsal, load_kunnskapsproven, load_servicetorget

    load_servicetorget()
    load_kunnskapsproven()
    load_gymsal()
