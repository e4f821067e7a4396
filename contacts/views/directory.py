"""directory views."""

urlpatterns: list = []
