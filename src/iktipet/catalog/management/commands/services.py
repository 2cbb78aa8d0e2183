"""`iktipet services check|load [PATH ...]`: validate or load service definition files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from iktipet.catalog.loader import read_definitions
from iktipet.catalog.services import DefinitionErrors, known_agencies, load_service_definitions


class Command(BaseCommand):
    help = "Check or load service definitions (YAML). Default path: IKTIPET_SERVICES_DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser("check", help="validate every file; non-zero exit on errors")
        check.add_argument("paths", nargs="*", type=Path)
        load = actions.add_parser("load", help="load the files as (immutable) versions")
        load.add_argument("paths", nargs="*", type=Path)
        load.add_argument("--publish", action="store_true", help="publish the loaded versions")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = options["paths"] or [settings.SERVICES_DIR]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"no such file or directory: {', '.join(missing)}", returncode=2)
        if options["action"] == "check":
            self.check_files(paths)
        else:
            self.load_files(paths, publish=options["publish"])

    def check_files(self, paths: list[Path]) -> None:
        try:
            agencies: set[str] | None = known_agencies() or None
        except DatabaseError:
            agencies = None
        if agencies is None:
            self.stderr.write(
                "warning: no agencies in the database, so agency slugs were not checked "
                "(run `iktipet migrate` and `iktipet load_demo`, or create the agencies)"
            )
        files = read_definitions(paths, agencies)
        failed = [item for item in files if not item.ok]
        for item in files:
            if item.ok and item.definition is not None:
                self.stdout.write(f"ok   {item.path} ({item.definition.id})")
            for message in item.messages():
                self.stderr.write(message)
        if not files:
            raise CommandError("no service definition files found", returncode=1)
        if failed:
            problems = sum(len(item.problems) for item in failed)
            raise CommandError(
                f"{problems} problem(s) in {len(failed)} of {len(files)} file(s)", returncode=1
            )

    def load_files(self, paths: list[Path], *, publish: bool) -> None:
        try:
            loaded = load_service_definitions(paths, publish=publish)
        except DefinitionErrors as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(f"{exc}; nothing was loaded", returncode=1) from None
        for item in loaded:
            version = item.version
            state = "new" if item.created else "unchanged"
            if version.is_published:
                state += ", published" if item.published else ", already published"
            self.stdout.write(f"{version.service.service_id}: version {version.number} ({state})")
