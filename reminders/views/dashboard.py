"""dashboard views."""

urlpatterns: list = []
