"""The audit record of rows written in bulk: ``bulk_create`` sends no signal, so services that
write many rows at once record them here, as django-auditlog would have recorded each one."""

from __future__ import annotations

from collections.abc import Sequence

BATCH = 5_000


def _audited_columns(model) -> tuple[list[tuple[str, str, bool]], object]:
    """(field name, attribute, masked) of the model's own columns the audit log records, following
    its registration (excluded and masked fields), and the mask it applies."""
    from auditlog.diff import get_mask_function
    from auditlog.registry import auditlog

    registered = auditlog.get_model_fields(model)
    excluded = set(registered["exclude_fields"])
    masked = set(registered["mask_fields"])
    columns = [
        (field.name, field.attname, field.name in masked)
        for field in model._meta.concrete_fields
        if field.name not in excluded
    ]
    return columns, get_mask_function(registered["mask_callable"])


def _created_changes(instance, columns, mask) -> dict[str, list[str]]:
    """What the audit log records for a new row: each column with a value, "None" before."""
    changes = {}
    for name, attname, masked in columns:
        value = getattr(instance, attname)
        if value is None or value == "":
            continue
        text = str(value)
        changes[name] = ["None", mask(text) if masked else text]
    return changes


def log_created(actor, objects: Sequence) -> None:
    """One "created" audit record per row written in bulk: every column with a value, masked
    fields masked, the unit path the audit page is scoped by."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    if not objects:
        return
    entries = []
    plans: dict[type, tuple] = {}
    for instance in objects:
        model = type(instance)
        if model not in plans:
            plans[model] = (ContentType.objects.get_for_model(model), *_audited_columns(model))
        content_type, columns, mask = plans[model]
        entries.append(
            LogEntry(
                content_type=content_type,
                object_pk=str(instance.pk),
                object_id=instance.pk,
                object_repr=str(instance)[:500],
                action=LogEntry.Action.CREATE,
                changes=_created_changes(instance, columns, mask),
                actor=actor,
                additional_data=instance.get_additional_data(),
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=BATCH)
