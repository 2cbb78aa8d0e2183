"""Every role the code accepts from the roles claim is a choice of StaffRole, with a label in
bokmål and English — the admin shows the label, never the raw word (issue 11: ``finance``)."""

from __future__ import annotations

import pytest
from django.utils import translation

from iktipet.accounts import roles
from iktipet.accounts.models import StaffRole
from iktipet.accounts.testing import sign_in_staff
from iktipet.core.models import Agency, Municipality


def test_every_role_from_the_claim_is_a_choice():
    accepted = roles.CLAIMED_AGENCY_ROLES | {roles.OPERATOR}
    assert accepted <= set(StaffRole.Role.values)
    parsed = roles.parse_roles_claim({"roles": ["kemner:finance", "operator"]}, "roles")
    assert parsed == {("kemner", roles.FINANCE), (None, roles.OPERATOR)}


@pytest.mark.parametrize(("language", "label"), [("nb", "økonomi"), ("en", "finance")])
def test_the_finance_role_has_a_label_in_both_languages(language, label):
    with translation.override(language):
        assert str(StaffRole.Role(roles.FINANCE).label) == label
        assert StaffRole(role=roles.FINANCE).get_role_display() == label


@pytest.mark.django_db
def test_the_admin_lists_a_finance_role_by_its_label(client):
    oslo = Municipality.objects.create(name="Testkommune", kommunenummer="0301")
    Agency.objects.create(municipality=oslo, slug="kemner", name_nb="Kemner", name_en="Kemner")
    sign_in_staff(client, [(None, roles.OPERATOR), ("kemner", roles.FINANCE)])
    role = StaffRole.objects.get(role=roles.FINANCE)
    role.full_clean()  # a choice: the admin and forms accept it

    html = client.get("/admin/accounts/staffrole/").content.decode()
    assert '<td class="field-role">økonomi</td>' in html
    html = client.get("/admin/accounts/staffrole/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<td class="field-role">finance</td>' in html
