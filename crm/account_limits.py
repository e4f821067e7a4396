"""django-allauth's rate limits (ACCOUNT_RATE_LIMITS) from Rapport's two settings.

`limit` failed log-ins per username (normalised, crm/account_adapter.py) and four times
as many per client address within `seconds`; wrong old passwords when changing one, and
re-authentication, per account alike. Reset emails: three an hour per address, ten per
client.
"""


def account_rate_limits(limit: int, seconds: int) -> dict[str, str]:
    return {
        "login_failed": f"{4 * limit}/{seconds}s/ip,{limit}/{seconds}s/key",
        "change_password": f"{limit}/{seconds}s/user",
        "reauthenticate": f"{limit}/{seconds}s/user",
        "reset_password": "10/h/ip,3/h/key",
    }
