"""Directory entries turned into what a public page shows: plain values in the active language,
with no field a visitor should not see (no focal point, no moderation data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kariya.directory.models import ChannelKind, Service
from kariya.public import labels

HREF = {
    ChannelKind.PHONE: "tel:",
    ChannelKind.WHATSAPP: "https://wa.me/",
    ChannelKind.EMAIL: "mailto:",
}


@dataclass
class Day:
    label: str
    ranges: list[str] = field(default_factory=list)


def hours(service: Service) -> list[Day]:
    """The seven days, Monday first; a day without a range is closed (empty ``ranges``)."""
    days = {number: Day(str(label)) for number, label in labels.WEEKDAYS.items()}
    for row in service.hours.all():
        days[row.weekday].ranges.append(f"{row.opens_at:%H:%M}–{row.closes_at:%H:%M}")
    return [days[number] for number in sorted(days)]


def channels(service: Service) -> list[dict[str, str]]:
    out = []
    for channel in service.channels.all():
        href = ""
        if channel.kind in HREF and channel.value:
            value = channel.value
            if channel.kind == ChannelKind.WHATSAPP:
                value = value.lstrip("+").replace(" ", "")
            href = HREF[ChannelKind(channel.kind)] + value.replace(" ", "")
        elif channel.kind == ChannelKind.WEBSITE and channel.value.startswith(
            ("http://", "https://")
        ):
            href = channel.value
        out.append(
            {
                "kind": channel.kind,
                "label": str(labels.CHANNEL.get(channel.kind, channel.kind)),
                "value": channel.value,
                "note": channel.note,
                "href": href,
            }
        )
    return out


def phones(service: Service) -> list[str]:
    return [
        c.value
        for c in service.channels.all()
        if c.kind in (ChannelKind.PHONE, ChannelKind.WHATSAPP) and c.value
    ]


def place(service: Service) -> str:
    parts = [u.name_fr for u in (service.commune, service.region) if u is not None]
    if service.site is not None:
        parts.insert(0, service.site.name)
    return ", ".join(dict.fromkeys(parts))


def summary(service: Service) -> dict[str, Any]:
    """The public record of one entry (also the offline data, ``directory.json``)."""
    return {
        "id": str(service.public_id),
        "name": service.name,
        "type": service.service_type.label,
        "provider": service.provider,
        "description": service.description,
        "address": service.address,
        "place": place(service),
        "hours": [{"day": d.label, "ranges": d.ranges} for d in hours(service)],
        "hours_note": service.hours_note,
        "channels": [
            {"kind": c["label"], "value": c["value"], "note": c["note"]} for c in channels(service)
        ],
        "languages": [language.label for language in service.languages.all()],
        "cost": str(labels.COST.get(service.cost, "")),
        "fee_note": service.fee_note,
        "availability": str(labels.AVAILABILITY.get(service.availability, "")),
    }
