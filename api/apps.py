from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API (/api/v1/), personal access tokens, and the assistant endpoint (MCP)."""

    name = "api"
    verbose_name = "API and assistant"
