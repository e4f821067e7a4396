"""ops views."""

urlpatterns: list = []
