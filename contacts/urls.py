"""The contacts app's URLs: every route in one table, grouped by the module of views that
answers it."""

from django.urls import path

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
    # The directory (views/directory.py)
    path("", directory.contact_list, name="list"),
    path("new/", directory.contact_new, name="new"),
    path("introducer-options/", directory.introducer_options, name="introducer_options"),
    path("<int:pk>/", directory.contact_detail, name="detail"),
    path("<int:pk>/edit/", directory.contact_edit, name="edit"),
    path("<int:pk>/delete/", directory.contact_delete_view, name="delete"),
    # Interactions and keeping in touch (views/interactions.py)
    path("interactions/new/", interactions.interaction_new, name="interaction_new"),
    path("interactions/<int:pk>/", interactions.interaction_detail, name="interaction_detail"),
    path("interactions/<int:pk>/edit/", interactions.interaction_edit, name="interaction_edit"),
    path(
        "interactions/<int:pk>/delete/",
        interactions.interaction_delete_view,
        name="interaction_delete",
    ),
    path(
        "<int:pk>/interactions/new/",
        interactions.contact_interaction_create,
        name="contact_interaction_new",
    ),
    path("<int:pk>/timeline/", interactions.contact_timeline, name="timeline"),
    path("<int:pk>/keep-in-touch/snooze/", interactions.snooze, name="keep_in_touch_snooze"),
    path("losing-touch/", interactions.losing_touch, name="losing_touch"),
    # Careers (views/careers.py)
    path("<int:contact_id>/career/", careers.positions_page, name="positions"),
    path("<int:contact_id>/career/add/", careers.position_add, name="position_add"),
    path("<int:contact_id>/career/job-change/", careers.job_change, name="job_change"),
    path("positions/<int:position_id>/edit/", careers.position_edit, name="position_edit"),
    path("positions/<int:position_id>/delete/", careers.position_delete, name="position_delete"),
    # Import, export, duplicates and merging (views/transfer.py)
    path("import/", transfer.import_page, name="import"),
    path("import/monica/", transfer.import_monica, name="import_monica"),
    path("import/<int:pk>/preview/", transfer.import_preview, name="import_preview"),
    path("import/<int:pk>/", transfer.import_job, name="import_job"),
    path("import/<int:pk>/cancel/", transfer.import_cancel, name="import_cancel"),
    path("import/<int:pk>/retry/", transfer.import_retry, name="import_retry"),
    path("export/", transfer.export_download, name="export"),
    path("<int:pk>/vcard/", transfer.export_contact, name="export_contact"),
    path("duplicates/", transfer.duplicates, name="duplicates"),
    path("duplicates/<int:pk>/merge/<int:other_pk>/", transfer.merge, name="merge"),
    path(
        "duplicates/<int:pk>/different/<int:other_pk>/",
        transfer.not_duplicate,
        name="not_duplicate",
    ),
    path(
        "duplicates/<int:pk>/different/<int:other_pk>/undo/",
        transfer.not_duplicate_undo,
        name="not_duplicate_undo",
    ),
    # Double opt-in introductions (views/introduction_flow.py)
    path("introductions/new/", introduction_flow.introduction_new, name="introduction_new"),
    path("introductions/made/", introduction_flow.introductions_made, name="introductions_made"),
    path(
        "introductions/<int:pk>/", introduction_flow.introduction_detail, name="introduction_detail"
    ),
    path(
        "introductions/<int:pk>/step/",
        introduction_flow.introduction_step_view,
        name="introduction_step",
    ),
    path(
        "introductions/<int:pk>/check/",
        introduction_flow.introduction_check,
        name="introduction_check",
    ),
    # Who could I introduce? (views/introductions.py)
    path("introductions/", introductions.introductions, name="introductions"),
    path("<int:pk>/introduce/", introductions.introduce, name="introduce"),
    # Following (views/following.py)
    path("following/", following.following, name="following"),
    path("<int:pk>/know/", following.know_now, name="know_now"),
    # Sort (triage) (views/triage.py)
    path("triage/", triage.triage, name="triage"),
    path("triage/<int:pk>/", triage.triage_rate, name="triage_rate"),
    path("triage/<int:pk>/undo/", triage.triage_undo, name="triage_undo"),
    # Connection requests (views/requests.py)
    path("requests/", requests.requests_inbox, name="requests"),
    path("requests/import/", requests.requests_import, name="requests_import"),
    path("requests/<int:pk>/", requests.request_decide, name="request_decide"),
    # Photos (views/photos.py)
    path("<int:pk>/photo/", photos.contact_photo, name="photo"),
    # Promises (views/promises.py)
    path("<int:pk>/promises/new/", promises.promise_add, name="promise_add"),
    path("promises/<int:pk>/keep/", promises.promise_keep_view, name="promise_keep"),
    path("promises/<int:pk>/delete/", promises.promise_delete_view, name="promise_delete"),
    # The Relationships overview (views/relationships.py)
    path("relationships/", relationships.relationships, name="relationships"),
]
