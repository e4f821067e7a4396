"""The contacts app's URLs, one module of views per area."""

from contacts.views import careers, directory, interactions, network, transfer

app_name = "contacts"

urlpatterns = [
    *directory.urlpatterns,
    *interactions.urlpatterns,
    *careers.urlpatterns,
    *transfer.urlpatterns,
    *network.urlpatterns,
]
