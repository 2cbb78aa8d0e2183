from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from iktipet.core.demo import discover, loaders


class Command(BaseCommand):
    help = "Load the synthetic demo data (idempotent: safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        discover()
        for item in loaders():
            with transaction.atomic():
                item.load()
            if options["verbosity"] > 1:
                self.stdout.write(f"loaded {item.name}")
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({len(loaders())} parts)."))
