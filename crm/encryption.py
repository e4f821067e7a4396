"""Secrets Rapport must read back, encrypted at rest (a notification channel's address,
which carries a bot token or a password).

Fernet (AES-128-CBC with an HMAC-SHA256, from `cryptography`), with keys derived
(HKDF-SHA256) from FIELD_ENCRYPTION_KEY: comma-separated, the first encrypts and the
others (earlier keys, while rotating) still decrypt. While it is empty, SECRET_KEY and
SECRET_KEY_FALLBACKS serve instead (docs/configuration.md, "Encrypted secrets"). A
database dump or backup alone no longer holds the secrets; whoever also has the key
does, so keep it out of the database's backups.

Stored values start with PREFIX; a value without it is one written before encryption
(or by a migration's earlier state) and is read as it is, so the data migration that
encrypts existing rows can run on a live table.
"""

import base64
import logging
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

logger = logging.getLogger(__name__)

PREFIX = "enc1:"
# One derived key per purpose: the same secret key never encrypts two kinds of thing.
INFO = b"rapport field encryption v1"


class UnreadableSecret(ValueError):
    """Encrypted with a key this server no longer has."""


def _derive(material: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(material.encode())
    return Fernet(base64.urlsafe_b64encode(key))


@cache
def _box(current: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_derive(current), *(_derive(key) for key in fallbacks)])


def box() -> MultiFernet:
    """The keys in force: encrypts with the first, decrypts with any."""
    keys = [key.strip() for key in getattr(settings, "FIELD_ENCRYPTION_KEYS", []) if key.strip()]
    if keys:
        return _box(keys[0], tuple(keys[1:]))
    return _box(settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))


def encrypt(plain: str) -> str:
    return PREFIX + box().encrypt(plain.encode()).decode()


def decrypt(stored: str) -> str:
    """The plain text of a stored value (a value stored before encryption is plain)."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return box().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise UnreadableSecret(
            "Encrypted with a key this server does not have (FIELD_ENCRYPTION_KEY or "
            "SECRET_KEY changed without keeping the old key while rotating)."
        ) from None


class EncryptedTextField(models.TextField):
    """Text encrypted in the database, plain in Python. Not searchable or filterable:
    each save encrypts afresh (a new random IV), so equal texts are stored differently.

    A value that cannot be decrypted (its key is gone) reads as "" and is logged (by
    column, never by value): the page still loads, and whatever uses the secret fails
    with a message asking for it again.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        try:
            return decrypt(value)
        except UnreadableSecret:
            logger.warning("Could not decrypt a value of %s: the key changed.", self)
            return ""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return value if value is None or value == "" else encrypt(str(value))
