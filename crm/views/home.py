from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("reminders:dashboard")


urlpatterns = [path("", home, name="home")]
