"""Per-user security state (sign-in method, personal 2FA), built on first access."""

from __future__ import annotations

from .common import Part


class Security(Part):
    """``org.auth_types`` and ``org.two_fa`` (stream ``"{seed}:security"``).

    The 2FA states are three dicts shared by every user in that state (100,000 private ones
    would cost ~20 MB): writes replace a user's state, they never change one in place.
    """

    name = "security"

    def build(self) -> None:
        random = self.rng.random
        robots = self.ctx.robots
        auth_types: dict[str, str] = {}
        two_fa: dict[str, dict[str, bool]] = {}
        states = {(has2fa, phone): {"has2fa": has2fa, "hasSecurityPhone": phone}
                  for has2fa, phone in ((False, False), (True, False), (True, True))}
        for i, uid in enumerate(self.uids):
            robot = i in robots
            idp, has2fa, phone = random() < 0.25, random() < 0.6, random() < 0.7
            auth_types[uid] = "idp" if idp and not robot else "portal"
            has2fa = has2fa and not robot
            two_fa[uid] = states[has2fa, has2fa and phone]
        self.org.auth_types, self.org.two_fa = auth_types, two_fa
