"""One notice per neighbour and case (issue 14.6): a neighbour who owns two adjoining
properties had one notice per property; their rows are merged into one that lists both.

The schema change and the merge are here; the new unique constraints are in 0003, in a
transaction of their own (PostgreSQL refuses to alter a table with pending deferred
foreign-key checks, which moving the reply attachments leaves behind).
"""

from django.db import migrations, models


def _merge(keeper, others, Attachment):
    """Fold ``others`` into ``keeper``: their properties, the earliest opening, the latest
    reply (remarks of the other rows kept under their property, so nothing is lost), the
    reply files; then delete them."""
    places = [(keeper.property, keeper.address)] + [
        (str(p.get("property") or ""), str(p.get("address") or ""))
        for p in keeper.further_properties or []
    ]
    for other in others:
        if other.property not in {label for label, _address in places}:
            places.append((other.property, other.address))
    places.sort(key=lambda place: (place[0] == "", place[0]))
    keeper.property, keeper.address = places[0]
    keeper.further_properties = [{"property": p, "address": a} for p, a in places[1:]]
    rows = [keeper, *others]
    opened = [row.opened_at for row in rows if row.opened_at is not None]
    keeper.opened_at = min(opened) if opened else None
    keeper.deadline = max(row.deadline for row in rows)
    keeper.sent_at = min(row.sent_at for row in rows)
    if keeper.notification_id is None:
        keeper.notification_id = next(
            (row.notification_id for row in others if row.notification_id), None
        )
    replied = [row for row in rows if row.replied_at is not None]
    if replied:
        latest = max(replied, key=lambda row: row.replied_at)
        remarks = [latest.remark] if latest.remark else []
        remarks += [
            f"{row.property}: {row.remark}"
            for row in replied
            if row is not latest and row.remark and row.remark != latest.remark
        ]
        keeper.replied_at = latest.replied_at
        # One objection (for any of the properties) makes the merged reply an objection.
        keeper.consent = all(row.consent for row in replied)
        keeper.remark = "\n\n".join(remarks)
    keeper.save()
    Attachment.objects.filter(notice__in=[row.pk for row in others]).update(notice=keeper)
    for other in others:
        other.delete()


def merge_notices(apps, schema_editor):
    Notice = apps.get_model("nabovarsel", "NeighbourNotice")
    Attachment = apps.get_model("nabovarsel", "NeighbourReplyAttachment")
    groups = {}
    for notice in Notice.objects.order_by("case_id", "property", "id").iterator():
        if notice.pid_hash:
            key = (notice.case_id, "pid", notice.pid_hash)
        elif notice.orgnr:
            key = (notice.case_id, "org", notice.orgnr)
        else:
            continue  # a row without identity (delivered on paper) stays as it is
        groups.setdefault(key, []).append(notice)
    for rows in groups.values():
        if len(rows) > 1:
            _merge(rows[0], rows[1:], Attachment)


class Migration(migrations.Migration):
    dependencies = [("nabovarsel", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(
            model_name="neighbournotice", name="notice_once_per_person_property"
        ),
        migrations.RemoveConstraint(
            model_name="neighbournotice", name="notice_once_per_org_property"
        ),
        migrations.AddField(
            model_name="neighbournotice",
            name="further_properties",
            field=models.JSONField(blank=True, default=list, verbose_name="flere naboeiendommer"),
        ),
        migrations.RunPython(merge_notices, migrations.RunPython.noop),
    ]
