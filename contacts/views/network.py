"""network views."""

urlpatterns: list = []
