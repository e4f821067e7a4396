"""preferences views."""

urlpatterns: list = []
