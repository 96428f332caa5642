"""The demo's second factor: staff logins get a TOTP device with a fixed, published key.

Staff must verify a TOTP code at every sign-in (core.security). For the demo to stay usable, the demo
staff logins share one authenticator key, published in the README ("Demo second factor"), so a tester
can add it to an app or compute the current code with ``django_otp.oath.totp(DEMO_TOTP_SECRET)``.

Never for real accounts: the key is public, like the demo password.
"""

from base64 import b32encode

from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import User

DEMO_TOTP_SECRET = b"talentbrug-demo-totp"  # 20 bytes, the usual TOTP key length
DEMO_TOTP_KEY_HEX = DEMO_TOTP_SECRET.hex()
DEMO_TOTP_KEY_BASE32 = b32encode(DEMO_TOTP_SECRET).decode()  # what an authenticator app asks for
DEMO_DEVICE_NAME = "Demo authenticator"


def ensure_demo_totp_device(user: User) -> TOTPDevice:
    """Give a demo login the confirmed device with the published key (idempotent)."""
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name=DEMO_DEVICE_NAME, defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True}
    )
    return device
