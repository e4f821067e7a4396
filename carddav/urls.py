from django.urls import path

from carddav.views import dav, settings

app_name = "carddav"

urlpatterns = [
    path(".well-known/carddav", dav.well_known, name="well_known"),
    path("dav/", dav.endpoint("root"), name="root"),
    path("dav/principal/", dav.endpoint("principal"), name="principal"),
    path("dav/addressbooks/", dav.endpoint("home"), name="home"),
    path("dav/addressbooks/rapport/", dav.endpoint("collection"), name="collection"),
    path("dav/addressbooks/rapport/<str:name>", dav.endpoint("card"), name="card"),
    path("settings/sync/", settings.sync_settings, name="settings"),
    path(
        "settings/sync/passwords/<int:pk>/revoke/",
        settings.app_password_revoke,
        name="password_revoke",
    ),
    path("settings/sync/cards/<int:pk>/restore/", settings.card_restore_view, name="card_restore"),
    path(
        "settings/sync/cards/<int:pk>/seen/", settings.card_conflicts_clear_view, name="card_seen"
    ),
]
