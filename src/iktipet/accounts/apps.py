from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "iktipet.accounts"
    label = "accounts"
    verbose_name = _("Brukere og innlogging")

    def ready(self) -> None:
        from iktipet.accounts.my_page import (
            ORDER_NEEDS_ANSWER,
            my_page_section,
            needs_answer_section,
        )

        # Min side's first section gathers what the other apps' needs_answer hooks give.
        my_page_section("accounts/_needs_answer.html", order=ORDER_NEEDS_ANSWER)(
            needs_answer_section
        )
