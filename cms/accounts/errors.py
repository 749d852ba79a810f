from django.core.exceptions import PermissionDenied


class NotAllowed(PermissionDenied):
    """The acting user may not do this: the one refusal of the `cms` services, raised before anything is written
    (docs/decisions/0015-one-permission-rule.md). A PermissionDenied, so that every view and the admin answer 403
    wherever it is raised, without a handler of their own."""
