"""Every page of the app, by section: the one list dashboard.py registers and the tests walk."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    section: str
    url_path: str
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/leadership.py", "Brand & quota", ":material/monitoring:", "Leadership", "leadership", default=True),
    PageSpec("pages/campaigns.py", "Campaigns", ":material/campaign:", "Marketing", "campaigns"),
    PageSpec("pages/quota.py", "Quota & pipeline", ":material/flag:", "Sales", "quota"),
    PageSpec("pages/segments.py", "Segments", ":material/grid_view:", "Sales", "segments"),
    PageSpec("pages/funnel.py", "Funnel & handoff", ":material/filter_alt:", "Together", "funnel"),
    PageSpec("pages/joint_plan.py", "Joint plan", ":material/handshake:", "Together", "joint-plan"),
    PageSpec("pages/meeting.py", "Planning meeting", ":material/groups:", "Together", "meeting"),
    PageSpec("pages/definitions.py", "Definitions", ":material/menu_book:", "Together", "definitions"),
    PageSpec("pages/data.py", "Data", ":material/upload_file:", "Data", "data"),
    PageSpec("pages/settings.py", "Settings", ":material/settings:", "Data", "settings"),
)

SECTIONS: tuple[str, ...] = ("Leadership", "Marketing", "Sales", "Together", "Data")
