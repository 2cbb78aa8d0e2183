"""``iktipet registers check``: each configured register and what is wrong with it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iktipet.registers.checks import register_statuses


class Command(BaseCommand):
    help = "Check the configuration of the register adapters (exit status 1 on problems)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check"], help="what to do")

    def handle(self, *args: Any, **options: Any) -> None:
        failing = 0
        for status in register_statuses():
            head = status.title
            if status.problems:
                failing += 1
                self.stdout.write(self.style.ERROR(f"{head}: {len(status.problems)} problem(s)"))
                for problem in status.problems:
                    self.stdout.write(f"  - {problem}")
            else:
                self.stdout.write(self.style.SUCCESS(f"{head}: OK"))
        if failing:
            raise CommandError(f"{failing} register(s) need attention.", returncode=1)
