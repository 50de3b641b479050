"""The editors' group (编辑) and its permissions (the admin issue fills this in)."""

EDITOR_GROUP = "编辑"
