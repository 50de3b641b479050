"""Changes made through the API land in the admin history (LogEntry), as admin edits do."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db import transaction


def _log(user, obj, flag: int, message) -> None:
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[obj], action_flag=flag, change_message=message, single_object=True
    )


def log_addition(user, obj) -> None:
    _log(user, obj, ADDITION, [{"added": {}}])


def log_change(user, obj, field_labels: list[str]) -> None:
    _log(user, obj, CHANGE, [{"changed": {"fields": field_labels}}])


def log_deletion(user, obj) -> None:
    _log(user, obj, DELETION, "")


def changed_fields(instance, validated_data: dict) -> list[str]:
    """Names (as in validated_data) whose new value differs from the instance's."""
    return [name for name, value in validated_data.items() if getattr(instance, name, object()) != value]


def field_labels(model, names: list[str], extra: dict | None = None) -> list[str]:
    labels = []
    for name in names:
        if extra and name in extra:
            labels.append(extra[name])
        else:
            labels.append(str(model._meta.get_field(name).verbose_name))
    return labels


class AdminHistoryMixin:
    """ViewSet mixin: additions, changes (naming the changed fields) and deletions are logged.

    A serializer may leave the changed field names in ``changed_names`` after saving, and
    labels for names that are not model fields in ``extra_labels``.
    """

    def perform_create(self, serializer):
        obj = serializer.save()
        log_addition(self.request.user, obj)

    def perform_update(self, serializer):
        names = changed_fields(serializer.instance, serializer.validated_data)
        obj = serializer.save()
        names = getattr(serializer, "changed_names", names)
        if names:
            labels = field_labels(type(obj), names, getattr(serializer, "extra_labels", None))
            log_change(self.request.user, obj, labels)

    def perform_destroy(self, instance):
        with transaction.atomic():
            log_deletion(self.request.user, instance)
            instance.delete()
