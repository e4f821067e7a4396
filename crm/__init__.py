# Importing the Celery app here makes `@shared_task` bind to it in every process.
from crm.celery import app as celery_app

__version__ = "0.1.0"
__all__ = ("__version__", "celery_app")
