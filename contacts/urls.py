"""The contacts app's URLs, one module of views per area."""

from contacts.views import (
    careers,
    directory,
    following,
    interactions,
    introduction_flow,
    introductions,
    photos,
    promises,
    relationships,
    requests,
    transfer,
    triage,
)

app_name = "contacts"

urlpatterns = [
    *directory.urlpatterns,
    *interactions.urlpatterns,
    *careers.urlpatterns,
    *transfer.urlpatterns,
    *introduction_flow.urlpatterns,
    *introductions.urlpatterns,
    *following.urlpatterns,
    *triage.urlpatterns,
    *requests.urlpatterns,
    *photos.urlpatterns,
    *promises.urlpatterns,
    *relationships.urlpatterns,
]
