"""The one way a view asks for a permission on an object.

    @login_required                                   # anonymous visitors: the login page
    @permission_required("initiatives.converse", fn=initiative_or_404)
    def post_message(request, pk, initiative): ...

As `rules.contrib.views.permission_required`, with the app's answers (tests/permissions): `fn`
loads the object from the view's arguments and raises Http404 for one the visitor may not know
exists (selectors return None; the view layer decides on 404). A visitor without the permission
gets 403, or 404 with `not_found=True` (for things whose very existence is private, such as a
decision letter). The object reaches the view as the keyword argument `as_` names, so it is
loaded once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

View = Callable[..., HttpResponse]
ObjectGetter = Callable[..., Any]


def permission_required(
    perm: str | Sequence[str],
    *,
    fn: ObjectGetter | None = None,
    as_: str = "obj",
    not_found: bool = False,
) -> Callable[[View], View]:
    perms = (perm,) if isinstance(perm, str) else tuple(perm)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            obj = fn(request, *args, **kwargs) if fn is not None else None
            if not request.user.has_perms(perms, obj):
                if not_found:
                    raise Http404
                raise PermissionDenied
            if fn is not None:
                kwargs[as_] = obj
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
