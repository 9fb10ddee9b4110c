"""Mail flow settings of the organisation (``org.mail_routing_rules``, ``org.sender_policies``,
``org.antispam_allowlist``), built on first access from the stream ``"{seed}:mail_flow"``.

- routing rules: 3-12 depending on the org's size (4 at 1 user, 10 at 2,000, 12 from 20,000),
  in the order an admin would set them up: drop mail from spam domains, forward invoices@ to
  accounting, a copy of the legal team's outbound mail for legal hold, support@ to the help
  desk, a journal copy of inbound mail to an **outside** archive… Wire format of
  ``api/mail_flow.py``: ``{"terminal", "condition", "actions", "scope"}``;
- sender policies: 3-6 domain policy rules (trusted partners accepted as not spam, blocked
  senders and a spam network rejected, newsletters filed as spam, one rule disabled) and a
  ``revision`` between 3 and 40;
- anti-spam allow list: 2-10 entries from the documentation ranges (192.0.2.0/24,
  198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32), addresses and CIDR ranges, none inside
  another.

Nothing here depends on the directory's state, so the part is cheap at any size (a few dozen
small dicts at 100,000 users).
"""

from __future__ import annotations

import math
from typing import Any

from .common import Part

ALLOW_POOL = ("192.0.2.10", "198.51.100.64/26", "203.0.113.7", "2001:db8:1::/48",
              "192.0.2.32/28", "198.51.100.25", "203.0.113.128/25", "2001:db8::25",
              "198.51.100.200", "2001:db8:ab::/64", "192.0.2.77", "203.0.113.45")
SPAM_DOMAINS = ("spam-offers.example", "bulk-mailer.example", "cheap-pills.example",
                "lottery-win.example", "phish-bank.example")
PARTNERS = ("partner-logistic.ru", "supplier.com", "crm-vendor.ru", "law-firm.ru",
            "bank-client.ru")
NEWSLETTERS = ("news.example", "promo.shop.example", "digest.media.example")
ARCHIVE = "journal@mail-archive.example"


def _forward(email: str) -> dict[str, Any]:
    return {"action": "forward", "data": {"email": email}}


DROP = {"action": "drop"}


class MailFlow(Part):
    """Routing rules, sender policies and the anti-spam allow list (see the module docstring)."""

    name = "mail_flow"

    def build(self) -> None:
        org = self.org
        org.mail_routing_rules = self.routing_rules()
        org.sender_policies = self.sender_policies()
        org.antispam_allowlist = self.allowlist()

    def rule_count(self) -> int:
        return max(3, min(12, 3 + round(2 * math.log10(self.n + 1))))

    def routing_rules(self) -> list[dict[str, Any]]:
        rng = self.rng
        domain = self.org.domain
        spam = rng.sample(SPAM_DOMAINS, 3)
        candidates = [
            ({"address:from": f"*@{spam[0]}"}, [DROP], True, "inbound"),
            ({"address:to": f"invoices@{domain}"}, [_forward(f"accounting@{domain}")], False,
             "inbound"),
            ({"address:from": f"legal@{domain}"}, [_forward(f"legal-hold@{domain}")], False,
             "outbound"),
            ({"$or": [{"address:from": f"*@{spam[1]}"}, {"address:from": f"*@{spam[2]}"}]},
             [DROP], True, "inbound"),
            ({"address:to": f"support@{domain}"}, [_forward(f"helpdesk@{domain}")], False,
             "inbound"),
            ({"address:to": f"jobs@{domain}"}, [_forward(f"hr@{domain}")], False, "inbound"),
            ({"$not": {"address:from": f"*@{domain}"}}, [_forward(ARCHIVE)], False, "inbound"),
            ({"header:subject": "[SPAM]"}, [DROP], True, "inbound"),
            ({"$and": [{"address:from": f"*@{rng.choice(PARTNERS)}"},
                       {"header:subject": "invoice"}]},
             [_forward(f"accounting@{domain}")], False, "inbound"),
            ({"address:from": f"noreply@{domain}"}, [DROP], True, "outbound"),
            ({"address:to": "*@competitor.example"}, [_forward(f"compliance@{domain}")], False,
             "outbound"),
            ({"address:from": f"*@{rng.choice(NEWSLETTERS)}"}, [DROP], False, "inbound"),
        ]
        return [{"terminal": terminal, "condition": condition,
                 "actions": [dict(a) for a in actions], "scope": {"direction": direction}}
                for condition, actions, terminal, direction in candidates[: self.rule_count()]]

    def sender_policies(self) -> dict[str, Any]:
        rng = self.rng
        partners = rng.sample(PARTNERS, 3)
        rules = [
            {"name": "Trusted partners", "description": "partners' mail is never spam",
             "enabled": True, "condition": {"domain_filter": {"list": partners}},
             "action": {"type": "accept", "options": {"force": "ham"}}},
            {"name": "Blocked senders", "description": "former contractors",
             "enabled": True,
             "condition": {"email_from_filter": {"list": [
                 f"sales@{rng.choice(SPAM_DOMAINS)}", "info@old-contractor.example"]}},
             "action": {"type": "reject"}},
            {"name": "Spam network", "description": "", "enabled": True,
             "condition": {"ip_filter": {"list": ["203.0.113.0/24", "2001:db8:bad::/48"]}},
             "action": {"type": "reject"}},
        ]
        if self.n >= 50:
            rules.append({"name": "Newsletters to spam", "description": "", "enabled": True,
                          "condition": {"domain_filter": {"list": list(NEWSLETTERS)}},
                          "action": {"type": "accept", "options": {"force": "spam"}}})
        if self.n >= 500:
            rules.append({"name": "Old relay (disabled)", "description": "kept for reference",
                          "enabled": False,
                          "condition": {"ip_filter": {"list": ["198.51.100.10"]}},
                          "action": {"type": "accept"}})
        if self.n >= 5000:
            rules.append({"name": "Bank notifications", "description": "", "enabled": True,
                          "condition": {"email_from_filter": {"list": [
                              "noreply@bank-client.ru"]}},
                          "action": {"type": "accept", "options": {"force": "ham"}}})
        return {"rules": rules, "revision": rng.randint(3, 40)}

    def allowlist(self) -> list[str]:
        count = max(2, min(10, 2 + round(2 * math.log10(self.n + 1))))
        return self.rng.sample(ALLOW_POOL, count)
