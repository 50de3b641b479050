"""The editors' group (编辑) and its permissions.

After every ``migrate`` (and every test-database flush) the group is created if
missing and its permissions are set to exactly :data:`EDITOR_PERMISSIONS`, so a
permission added here reaches existing databases with the next ``migrate``.

Editors may add, change and view all content and publish it ("publish" is
``change_article``). They may delete articles, bylines, photos and photo credits
(fixing a bad import needs that), but never issues, pages, people or columns, and
they cannot manage user accounts or groups.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from django.db.models.signals import post_migrate
from django.dispatch import receiver

EDITOR_GROUP = "编辑"

_CONTENT = ("add", "change", "view")

# model name (articles app) -> the actions an editor may take on it.
EDITOR_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "article": (*_CONTENT, "delete"),
    "byline": (*_CONTENT, "delete"),
    "photo": (*_CONTENT, "delete"),
    "photocredit": (*_CONTENT, "delete"),
    "person": _CONTENT,
    "column": _CONTENT,
    "page": _CONTENT,
    "issue": _CONTENT,
    "pagesource": ("view",),
    "importrun": ("view",),
}


def editor_permission_codenames() -> list[str]:
    return [f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions]


def ensure_editor_group(using: str = DEFAULT_DB_ALIAS) -> Group:
    """Get or create the 编辑 group and give it exactly the editor permissions."""
    group, _ = Group.objects.using(using).get_or_create(name=EDITOR_GROUP)
    wanted = Q()
    for model, actions in EDITOR_PERMISSIONS.items():
        wanted |= Q(content_type__model=model, codename__in=[f"{a}_{model}" for a in actions])
    permissions = Permission.objects.using(using).filter(wanted, content_type__app_label="articles")
    group.permissions.set(permissions)
    return group


@receiver(post_migrate, dispatch_uid="articles.roles.editor_group")
def _create_editor_group(sender, app_config=None, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    # Runs once per migrated app; ours runs after auth has created our permissions
    # (auth's handler is connected first, since auth comes first in INSTALLED_APPS).
    if app_config is None or app_config.label != "articles":
        return
    if apps is not None:
        try:
            apps.get_model("auth", "Group")
        except LookupError:  # migrating to a state without auth: nothing to do
            return
    ensure_editor_group(using)
