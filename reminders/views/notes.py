"""notes views."""

urlpatterns: list = []
