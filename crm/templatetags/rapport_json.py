"""`{{ value|json_attr }}`: JSON for a data-* attribute (autoescaped like any value).

Rapport's strict CSP allows no inline <script>, not even JSON data blocks, so pages hand
data to static/js/*.js through attributes.
"""

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


@register.filter
def json_attr(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder)
