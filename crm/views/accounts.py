"""Accounts: log in and out, passwords, optional sign-up."""

from django.urls import include, path

urlpatterns = [path("accounts/", include("django.contrib.auth.urls"))]
