"""Loading definitions as immutable versions; publishing and unpublishing them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from iktipet.catalog.models import Service, ServiceVersion
from iktipet.catalog.services import (
    DefinitionErrors,
    load_service_definitions,
    publish_version,
    unpublish_version,
)
from iktipet.core.models import AuditEvent
from support.catalog import write_definition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]


def test_loading_the_same_content_twice_gives_the_same_version(tmp_path, minimal):
    write_definition(tmp_path, minimal)
    first = load_service_definitions([tmp_path])
    second = load_service_definitions([tmp_path])
    assert first[0].created and not second[0].created
    assert first[0].version.pk == second[0].version.pk
    assert ServiceVersion.objects.count() == 1


def test_formatting_and_comments_do_not_make_a_new_version(tmp_path, minimal):
    path = write_definition(tmp_path, minimal)
    version = load_service_definitions([tmp_path])[0].version
    reordered = dict(reversed(list(minimal.items())))
    path.write_text("# a comment\n" + yaml.safe_dump(reordered, allow_unicode=True, indent=4))
    again = load_service_definitions([tmp_path])[0]
    assert not again.created and again.version.pk == version.pk


def test_changed_content_makes_a_new_version_and_keeps_the_old(tmp_path, minimal):
    write_definition(tmp_path, minimal)
    v1 = load_service_definitions([tmp_path], publish=True)[0].version
    minimal["params"]["rate"] = 3.0
    write_definition(tmp_path, minimal)
    loaded = load_service_definitions([tmp_path])[0]
    v2 = loaded.version
    assert loaded.created and (v1.number, v2.number) == (1, 2)
    assert v1.content_hash != v2.content_hash
    v1.refresh_from_db()
    assert v1.definition["params"]["rate"] == 2.5 and v1.definition_model.params["rate"] == 2.5
    # Loading does not publish a change unless asked: v1 is what applications still get.
    assert v1.is_published and not v2.is_published
    load_service_definitions([tmp_path], publish=True)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v2.is_published and not v1.is_published


def test_going_back_to_earlier_content_is_the_earlier_version(tmp_path, minimal):
    write_definition(tmp_path, minimal)
    v1 = load_service_definitions([tmp_path])[0].version
    write_definition(tmp_path, {**minimal, "workflow": "skjenkebevilling"})
    load_service_definitions([tmp_path])
    write_definition(tmp_path, minimal)
    assert load_service_definitions([tmp_path])[0].version.pk == v1.pk


def test_a_version_is_immutable(tmp_path, minimal):
    write_definition(tmp_path, minimal)
    version = load_service_definitions([tmp_path], publish=True)[0].version
    version.definition = {**version.definition, "workflow": "endret"}
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        version.save(update_fields=["definition"])
    with pytest.raises(PermissionError):
        ServiceVersion.objects.filter(pk=version.pk).update(definition={})
    version.refresh_from_db()
    assert version.definition["workflow"] == "standard"


def test_only_one_version_of_a_service_is_published(tmp_path, minimal):
    write_definition(tmp_path, minimal)
    v1 = load_service_definitions([tmp_path], publish=True)[0].version
    write_definition(tmp_path, {**minimal, "workflow": "skjenkebevilling"})
    v2 = load_service_definitions([tmp_path])[0].version
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceVersion.objects.filter(pk=v2.pk).update(published_at=v1.published_at)


def test_publish_and_unpublish_are_audited(tmp_path, minimal):
    write_definition(tmp_path, minimal)
    version = load_service_definitions([tmp_path])[0].version
    publish_version(None, version)
    unpublish_version(None, version)
    version.refresh_from_db()
    assert not version.is_published and version.unpublished_at is not None
    actions = list(
        AuditEvent.objects.filter(target_id=str(version.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "catalog.version_loaded",
        "catalog.version_published",
        "catalog.version_unpublished",
    ]
    labels = set(
        AuditEvent.objects.filter(target_id=str(version.pk)).values_list("actor_label", flat=True)
    )
    assert labels == {"system"}


def test_one_broken_file_loads_nothing(tmp_path, minimal):
    write_definition(tmp_path, minimal)
    write_definition(tmp_path, {**minimal, "id": "other", "agency": "nosuch"})
    with pytest.raises(DefinitionErrors) as caught:
        load_service_definitions([tmp_path])
    assert any("other.yaml: agency: unknown agency 'nosuch'" in m for m in caught.value.messages)
    assert not Service.objects.exists()


def test_services_load_command(tmp_path, minimal, capsys):
    from django.core.management import call_command

    write_definition(tmp_path, minimal)
    call_command("services", "load", str(tmp_path), "--publish")
    call_command("services", "load", str(tmp_path))
    out = capsys.readouterr().out
    assert "testtjeneste: version 1 (new, published)" in out
    assert "testtjeneste: version 1 (unchanged, already published)" in out


def test_demo_loader_loads_and_publishes_the_shipped_services():
    from iktipet.catalog.demo_data import load_services

    load_services()
    load_services()  # idempotent
    published = ServiceVersion.objects.published()
    shipped = len(list(Path(settings.SERVICES_DIR).glob("*.yaml")))
    assert published.count() == shipped and ServiceVersion.objects.count() == shipped


def test_version_keeps_its_parsed_definition(published):
    version = published["skjenkebevilling"]
    fresh = ServiceVersion.objects.get(pk=version.pk)
    assert fresh.definition_model is version.definition_model  # cached per content hash
    assert fresh.definition_model.params["yearly_minimum_kr"] == 6400.0


# --- Django admin ------------------------------------------------------------------------------


def _staff(django_user_model, agency_slug=None, superuser=False):
    from iktipet.accounts.models import StaffRole
    from iktipet.core.models import Agency

    user = django_user_model.objects.create(
        username=f"staff-{agency_slug or 'super'}",
        is_staff=True,
        is_superuser=superuser,
        kind="staff",
    )
    if agency_slug:
        StaffRole.objects.create(
            user=user, agency=Agency.objects.get(slug=agency_slug), role="service_admin"
        )
    return user


def _action(client, action, *versions):
    url = reverse("admin:catalog_serviceversion_changelist")
    return client.post(
        url, {"action": action, "_selected_action": [v.pk for v in versions]}, follow=True
    )


def test_agency_admin_publishes_and_unpublishes_in_the_admin(client, django_user_model, published):
    version = published["skjenkebevilling"]
    client.force_login(_staff(django_user_model, "naeringsetaten"))
    response = client.get(reverse("admin:catalog_serviceversion_changelist"))
    assert response.status_code == 200
    assert "skjenkebevilling" in response.text and "barnehageplass" not in response.text
    _action(client, "unpublish", version)
    version.refresh_from_db()
    assert not version.is_published
    assert client.get(reverse("catalog:service", args=["skjenkebevilling"])).status_code == 404
    _action(client, "publish", version)
    version.refresh_from_db()
    assert version.is_published


def test_agency_admin_cannot_touch_another_agencys_service(client, django_user_model, published):
    version = published["barnehageplass"]
    client.force_login(_staff(django_user_model, "naeringsetaten"))
    _action(client, "unpublish", version)
    version.refresh_from_db()
    assert version.is_published
    url = reverse("admin:catalog_serviceversion_change", args=[version.pk])
    assert client.get(url).status_code in (302, 404)


def test_versions_cannot_be_edited_in_the_admin(client, django_user_model, published):
    version = published["nabovarsel"]
    client.force_login(_staff(django_user_model, superuser=True))
    url = reverse("admin:catalog_serviceversion_change", args=[version.pk])
    response = client.get(url)
    assert response.status_code == 200 and "plan-og-bygningsetaten" in response.text
    client.post(url, {"number": 99})
    version.refresh_from_db()
    assert version.number == 1
    assert client.get(reverse("admin:catalog_serviceversion_add")).status_code == 403


def test_publishing_two_versions_of_one_service_at_once_is_refused(
    client, django_user_model, tmp_path, minimal
):
    write_definition(tmp_path, minimal)
    v1 = load_service_definitions([tmp_path])[0].version
    write_definition(tmp_path, {**minimal, "workflow": "skjenkebevilling"})
    v2 = load_service_definitions([tmp_path])[0].version
    client.force_login(_staff(django_user_model, superuser=True))
    response = _action(client, "publish", v1, v2)
    assert "Velg bare én versjon per tjeneste." in response.text
    assert not ServiceVersion.objects.published().exists()
