"""django-allauth's settings that do not depend on the environment (crm/settings.py
imports them; the rest, read from the environment, is there). docs/authentication.md."""

AUTHENTICATION_BACKENDS = [
    # `client.login()`, the admin's users and `manage.py` keep Django's own backend.
    "django.contrib.auth.backends.ModelBackend",
    # Log-in by username or email address.
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "crm.account_adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "crm.account_adapter.SocialAccountAdapter"
MFA_ADAPTER = "crm.account_adapter.MFAAdapter"
ACCOUNT_FORMS = {"login": "crm.account_forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_USER_DISPLAY = "crm.account_adapter.user_display"
# Usernames keep the spelling people chose; log-in matches them without regard to case.
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Rapport] "
# A reset for an unknown address sends nothing (nobody's inbox can be flooded through us).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# None: a "keep me logged in" box on the log-in form.
ACCOUNT_SESSION_REMEMBER = None

# Two-factor: authenticator apps (TOTP) with recovery codes, and passkeys / security keys
# (as a second factor, and for log-in without a password).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Rapport"

# A new account from single sign-on needs its provider's AUTO_CREATE (off by default).
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
# An identity is never attached to an existing account by its email address alone:
# people link a provider from Settings → Security.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_STORE_TOKENS = False

# Sessions are recorded at log-in; crm/account_policy.py keeps their last-seen time
# (allauth's own tracking would write on every request).
USERSESSIONS_TRACK_ACTIVITY = False
