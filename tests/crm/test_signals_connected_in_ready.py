"""Signal receivers and tasks are set up by the apps' ready(), not by some import."""

import os

from tests.source_tree import run_python

CHECK = """
import django
django.setup()
from allauth.account.signals import user_logged_in as allauth_logged_in
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save
from contacts.models import Contact, Interaction
from reminders.models import Reminder
print(post_save.has_listeners(Contact), post_delete.has_listeners(Contact),
      post_save.has_listeners(Interaction), post_save.has_listeners(Reminder),
      m2m_changed.has_listeners(Interaction.contacts.through),
      allauth_logged_in.has_listeners(), user_logged_in.has_listeners())
from crm.celery import app
# The outbox sends tasks by name: the import task must be registered in a web process.
print("contacts.tasks.run_import_job" in app.tasks)
"""


def test_django_setup_alone_connects_every_receiver() -> None:
    """A management command or worker that imports no view still keeps the caches right."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = run_python("-c", CHECK, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"] * 8


def test_connecting_twice_adds_no_second_receiver() -> None:
    from django.apps import apps
    from django.db.models.signals import post_save

    from contacts.models import Contact

    before = len(post_save._live_receivers(Contact)[0])
    apps.get_app_config("reminders").ready()
    apps.get_app_config("crm").ready()
    assert len(post_save._live_receivers(Contact)[0]) == before
