"""accounts views."""

urlpatterns: list = []
