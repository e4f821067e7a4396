"""interactions views."""

urlpatterns: list = []
