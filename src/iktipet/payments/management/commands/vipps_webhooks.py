"""``iktipet vipps_webhooks register|list|delete``: the merchant's ePayment webhook at Vipps.

Vipps sends every ePayment event to the URLs registered for the sales unit (MSN) and signs
them with the secret it returns at registration, and only then: ``register`` prints it for
``IKTIPET_VIPPS_WEBHOOK_SECRET``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iktipet.payments.providers.base import ProviderError, payment_providers
from iktipet.payments.providers.vipps import EPAYMENT_EVENTS, VippsProvider


class Command(BaseCommand):
    help = "Register, list or delete the Vipps ePayment webhook (register prints its secret)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["register", "list", "delete"])
        parser.add_argument(
            "--url", default="", help="register: https://<host>/betaling/webhook/vipps/"
        )
        parser.add_argument("--id", default="", help="delete: the webhook's id (see list)")

    def handle(self, *args: Any, **options: Any) -> None:
        vipps = payment_providers.create("vipps", **payment_providers.options("vipps"))
        assert isinstance(vipps, VippsProvider)
        # The keys must be there; the webhook secret is what this command is for.
        missing = [
            problem
            for problem in vipps.check_config()
            if "is not set" in problem and "WEBHOOK_SECRET" not in problem
        ]
        if missing:
            raise CommandError("Vipps is not configured:\n  " + "\n  ".join(missing))
        try:
            self._act(vipps, options)
        except ProviderError as exc:
            raise CommandError(f"Vipps answered: {exc}") from exc

    def _act(self, vipps: VippsProvider, options: dict[str, Any]) -> None:
        action = options["action"]
        if action == "register":
            url = options["url"]
            if not url.startswith("https://"):
                raise CommandError("--url must be the https URL of /betaling/webhook/vipps/.")
            registered = vipps.register_webhook(url, EPAYMENT_EVENTS)
            self.stdout.write(f"Registered webhook {registered.get('id')} for {url}")
            self.stdout.write("Set this in the environment (Vipps shows it only now):")
            self.stdout.write(f"IKTIPET_VIPPS_WEBHOOK_SECRET={registered.get('secret')}")
        elif action == "list":
            hooks = vipps.list_webhooks()
            if not hooks:
                self.stdout.write("No webhooks registered.")
            for hook in hooks:
                events = ", ".join(hook.get("events") or [])
                self.stdout.write(f"{hook.get('id')}  {hook.get('url')}  [{events}]")
        else:
            if not options["id"]:
                raise CommandError("delete needs --id (see `iktipet vipps_webhooks list`).")
            vipps.delete_webhook(options["id"])
            self.stdout.write(f"Deleted webhook {options['id']}.")
