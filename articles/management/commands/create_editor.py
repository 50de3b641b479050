"""
Create an editor: a staff account in the 编辑 group, able to fix and publish content
in the admin but not to manage users or delete issues.

    ./manage.py create_editor wang                 # prompts for the password twice
    ./manage.py create_editor wang --password '…'  # non-interactive (scripts, CI)
    ./manage.py create_editor wang --dry-run       # say what would happen, change nothing

An existing account of that name is refused (use the admin to change it), unless
--update is given, which makes it staff, adds it to the group and, if a password was
given, sets it.
"""

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.roles import EDITOR_GROUP, ensure_editor_group


class Command(BaseCommand):
    help = "Create a staff account in the 编辑 (editor) group, able to edit and publish in the admin."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The new editor's login name.")
        parser.add_argument("--password", help="The password (prompted for when omitted).")
        parser.add_argument("--email", default="", help="The editor's e-mail address (optional).")
        parser.add_argument(
            "--update",
            action="store_true",
            help="If the account exists, make it an editor instead of refusing.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report what would be done; change nothing."
        )

    def handle(self, *args, username, password, email, update, dry_run, **options):
        verbosity = options["verbosity"]
        User = get_user_model()
        username = username.strip()
        if not username:
            raise CommandError("The username must not be empty.")
        existing = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        if existing is not None and not update:
            raise CommandError(
                f"A user named {username!r} already exists (use --update to make it an editor)."
            )

        if password is None and not dry_run and existing is None:
            password = self._prompt_password()
        if password is not None:
            candidate = existing or User(**{User.USERNAME_FIELD: username, "email": email})
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                raise CommandError("The password was refused: " + " ".join(exc.messages)) from exc

        action = "update" if existing is not None else "create"
        if dry_run:
            if verbosity >= 1:
                self.stdout.write(
                    f"Would {action} staff user {username!r} in group {EDITOR_GROUP!r} (dry run)."
                )
            return

        with transaction.atomic():
            group = ensure_editor_group()
            user = existing or User(**{User.USERNAME_FIELD: username}, email=email)
            user.is_staff = True
            user.is_active = True
            if password is not None:
                user.set_password(password)
            user.save()
            user.groups.add(group)
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{action.capitalize()}d editor {username!r} (staff, group {EDITOR_GROUP!r})."
                )
            )

    def _prompt_password(self) -> str:
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt) as exc:
            raise CommandError("No password given (use --password when not running interactively).") from exc
        if first != second:
            raise CommandError("The two passwords do not match.")
        if not first:
            raise CommandError("The password must not be empty.")
        return first
