"""careers views."""

urlpatterns: list = []
