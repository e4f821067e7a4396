"""Names for types that exist only in django-stubs, for annotating test helpers."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # What django.test.Client returns: the response plus .context, .templates, .json().
    from django.test.client import _MonkeyPatchedWSGIResponse as ClientResponse
else:
    ClientResponse = Any
