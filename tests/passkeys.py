"""A passkey as allauth stores one after a browser registered it, made in Python: for
pages that list or edit passkeys (the sweeps). Browser journeys register real ones with
Chromium's virtual authenticator (tests/e2e/test_passkeys_journey.py)."""

import hashlib
import os
from typing import Any

from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.auth.models import User
from fido2.cose import ES256
from fido2.utils import websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)


def registration_credential(rp_id: str = "testserver") -> dict[str, Any]:
    """The JSON a browser returns from navigator.credentials.create() ("none" attestation)."""
    credential_id = os.urandom(16)
    key = ES256.from_cryptography_key(ec.generate_private_key(ec.SECP256R1()).public_key())
    attested = AttestedCredentialData.create(b"\0" * 16, credential_id, key)
    flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV | AuthenticatorData.FLAG.AT
    auth_data = AuthenticatorData.create(
        hashlib.sha256(rp_id.encode()).digest(), flags, 0, attested
    )
    client_data = CollectedClientData.create("webauthn.create", os.urandom(16), f"https://{rp_id}")
    return {
        "type": "public-key",
        "id": websafe_encode(credential_id),
        "rawId": websafe_encode(credential_id),
        "response": {
            "clientDataJSON": websafe_encode(client_data),
            "attestationObject": websafe_encode(AttestationObject.create("none", auth_data, {})),
            "transports": ["internal"],
        },
        "clientExtensionResults": {"credProps": {"rk": True}},
        "authenticatorAttachment": "platform",
    }


def make_passkey(user: User, name: str = "Laptop") -> Authenticator:
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": name, "credential": registration_credential()},
    )
