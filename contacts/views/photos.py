"""A contact's photo, served to its owner only."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from contacts.models import ContactPhoto
from crm.http import AuthenticatedHttpRequest
from crm.ownership import get_owned_or_404


@login_required
@require_GET
def contact_photo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    photo = get_owned_or_404(ContactPhoto.objects.only("data"), request.user, contact_id=pk)
    response = HttpResponse(bytes(photo.data), content_type="image/jpeg")
    # The URL carries the photo's version (?v=), so a new photo is a new URL; private:
    # no shared cache may keep someone's contacts' faces.
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["Content-Disposition"] = 'inline; filename="photo.jpg"'
    return response
