"""Who may do what through the API."""

from rest_framework import permissions


class ReadOnlyOrModelPermissions(permissions.DjangoModelPermissions):
    """Anyone may read; writing needs a staff login with the model's permission."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not hasattr(view, request.method.lower()):
            return True  # the view does not offer this method: let it answer 405

        if not (request.user and request.user.is_authenticated and request.user.is_staff):
            return False
        return super().has_permission(request, view)
