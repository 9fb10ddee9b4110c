"""Domains and their DNS records (``org.domains``), built on first access from the stream
``"{seed}:domains"``.

Three domains at every size, so the mail check (MX, SPF, DKIM) finds something whatever the
org:

- ``org.domain`` (``demo-corp.ru``): the master domain, verified and delegated to Yandex, with
  the records Yandex 360 asks for — MX ``mx.yandex.net.`` preference 10, SPF ``v=spf1
  redirect=_spf.yandex.net``, DKIM ``mail._domainkey`` (``v=DKIM1; k=rsa; t=s; p=MIGfMA0…``,
  a 1024-bit key's base64 shape), the ``yandex-verification`` TXT, NS, CNAMEs of the Yandex
  services (mail, calendar, disk), SRV for XMPP and CalDAV — plus the office's own hosts (A,
  AAAA, CNAME, TXT of other services): 22 records at 1 user, 42 at 2,000, 60 from 3,800;
- a second verified domain (``demo-corp.com``, an old brand kept for mail) with MX, SPF and
  its verification TXT but **no DKIM**;
- a third domain added lately (``demo-corp.online``): **not verified**, not delegated, no
  records at all.

State (``org.domains``, a dict in the order the API lists them)::

    {name: {"name", "country", "delegated", "master", "verified", "lastAdded", "lastCheck",
            "records": [record wire dict, …]}}

``mx`` and ``status`` of a domain are worked out from its records when read (the routes), so a
deleted MX shows at once. Record ids are ints, unique in the org (``org.domains_seq`` holds
the next one).
"""

from __future__ import annotations

from typing import Any

from .common import Part

SECOND = "demo-corp.com"
THIRD = "demo-corp.online"
HOSTS = ("vpn", "crm", "git", "wiki", "portal", "intranet", "jira", "files", "status", "api",
         "shop", "office", "monitor", "grafana", "ci", "registry", "sso", "dev", "stage", "test",
         "backup", "helpdesk", "hr", "erp", "bi", "docs", "cdn", "img", "static", "m", "remote",
         "meet", "news", "blog", "promo", "partners", "b2b", "lk", "pay", "track", "map", "db",
         "kafka", "s3", "nexus", "sonar", "vault", "auth")
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def record(rid: int, rtype: str, name: str, ttl: int = 21600, **fields: Any) -> dict[str, Any]:
    """A record in the wire format (``recordId``, ``type``, ``name``, ``ttl`` + its fields)."""
    return {"recordId": rid, "type": rtype, "name": name, "ttl": ttl, **fields}


class Domains(Part):
    """The organisation's domains and DNS records (see the module docstring)."""

    name = "domains"

    def build(self) -> None:
        org = self.org
        self.seq = 4_000_000 + self.rng.randrange(1_000_000)
        added = self.ts_between(self.ctx.created_ts, self.ctx.created_ts + 86400)
        master = self.domain(org.domain, verified=True, delegated=True, master=True,
                             added=added, records=self.master_records())
        second_added = self.ts_between(added, self.now_ts - 200 * 86400)
        second = self.domain(SECOND, verified=True, delegated=True, master=False,
                             added=second_added, records=self.second_records())
        third = self.domain(THIRD, verified=False, delegated=False, master=False,
                            added=self.now_ts - self.rng.randrange(2, 20) * 86400, records=[])
        org.domains = {d["name"]: d for d in (master, second, third)}
        org.domains_seq = self.seq

    def next_id(self) -> int:
        self.seq += self.rng.randrange(1, 40)
        return self.seq

    def domain(self, name: str, *, verified: bool, delegated: bool, master: bool, added: int,
               records: list[dict[str, Any]]) -> dict[str, Any]:
        return {"name": name, "country": "ru", "delegated": delegated, "master": master,
                "verified": verified, "lastAdded": self.clock.iso(added),
                "lastCheck": self.clock.iso(self.now_ts - self.rng.randrange(600, 86400)),
                "records": records}

    def verification(self) -> str:
        return f"yandex-verification: {self.hex(16)}"

    def dkim(self) -> str:
        # A 1024-bit RSA public key in base64 starts with MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ
        # (its DER header); the rest is the key's bytes.
        body = "".join(self.rng.choice(B64) for _ in range(172))
        return f"v=DKIM1; k=rsa; t=s; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ{body}IDAQAB"

    def ip(self) -> str:
        return f"203.0.113.{self.rng.randrange(2, 250)}"  # documentation range

    def extra_count(self) -> int:
        return max(6, min(44, 6 + self.n // 100))

    def master_records(self) -> list[dict[str, Any]]:
        nid, domain = self.next_id, self.org.domain
        out = [
            record(nid(), "MX", "@", exchange="mx.yandex.net.", preference=10),
            record(nid(), "TXT", "@", text="v=spf1 redirect=_spf.yandex.net"),
            record(nid(), "TXT", "mail._domainkey", text=self.dkim()),
            record(nid(), "TXT", "@", text=self.verification()),
            record(nid(), "NS", "@", ttl=86400, target="dns1.yandex.net."),
            record(nid(), "NS", "@", ttl=86400, target="dns2.yandex.net."),
            record(nid(), "A", "@", address=self.ip()),
            record(nid(), "CNAME", "www", target=f"{domain}."),
            record(nid(), "CNAME", "mail", target="domain.mail.yandex.net."),
            record(nid(), "CNAME", "calendar", target="domain.calendar.yandex.net."),
            record(nid(), "CNAME", "disk", target="domain.disk.yandex.net."),
            record(nid(), "SRV", "_xmpp-client._tcp", target="domain-xmpp.yandex.ru.",
                   priority=20, weight=0, port=5222),
            record(nid(), "SRV", "_xmpp-server._tcp", target="domain-xmpp.yandex.ru.",
                   priority=20, weight=0, port=5269),
            record(nid(), "SRV", "_caldav._tcp", target="caldav.yandex.ru.", priority=0,
                   weight=0, port=443),
            record(nid(), "TXT", "_dmarc", text="v=DMARC1; p=none; rua=mailto:dmarc@" + domain),
            record(nid(), "CAA", "@", flag=0, tag="issue", value="letsencrypt.org"),
        ]
        hosts = self.rng.sample(HOSTS, min(len(HOSTS), self.extra_count()))
        for host in hosts:
            kind = self.rng.random()
            if kind < 0.6:
                out.append(record(nid(), "A", host, ttl=self.rng.choice((300, 3600, 21600)),
                                  address=self.ip()))
            elif kind < 0.75:
                out.append(record(nid(), "AAAA", host,
                                  address=f"2001:db8::{self.rng.randrange(1, 0xffff):x}"))
            elif kind < 0.92:
                out.append(record(nid(), "CNAME", host, target=f"{self.rng.choice(hosts)}."
                                  f"{domain}." if self.rng.random() < 0.5
                                  else f"{host}.hosting.example."))
            else:
                out.append(record(nid(), "TXT", host,
                                  text=f"site-verification={self.hex(24)}"))
        return out

    def second_records(self) -> list[dict[str, Any]]:
        nid = self.next_id
        return [
            record(nid(), "MX", "@", exchange="mx.yandex.net.", preference=10),
            record(nid(), "TXT", "@", text="v=spf1 redirect=_spf.yandex.net"),
            record(nid(), "TXT", "@", text=self.verification()),
            record(nid(), "CNAME", "www", target=f"{self.org.domain}."),
            record(nid(), "CNAME", "mail", target="domain.mail.yandex.net."),
        ]
