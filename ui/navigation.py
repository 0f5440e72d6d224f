"""Every page of the app, by section: the one list dashboard.py registers and the tests walk."""

from __future__ import annotations

from dataclasses import dataclass

# The shared filters of the sidebar (ui.filters): what each PageSpec says of them.
FILTERS = {"period": "Period", "as_of": "As of", "regions": "Regions", "segments": "Segments", "teams": "Teams"}


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    section: str
    url_path: str
    default: bool = False
    # The shared filters that do not change this page, with why (shown in its caption; a test checks each page ×
    # filter pair: a filter not listed here must change what the page shows).
    ignores: tuple[tuple[str, str], ...] = ()

    @property
    def ignored(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.ignores)


_COMPANY_WIDE = "campaigns, spend and attribution are company-wide"
_NOT_DATA = "it shows no figures of the period"
PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/leadership.py", "Brand & quota", ":material/monitoring:", "Leadership", "leadership", default=True),
    PageSpec("pages/campaigns.py", "Campaigns", ":material/campaign:", "Marketing", "campaigns",
             ignores=(("regions", _COMPANY_WIDE), ("segments", _COMPANY_WIDE), ("teams", _COMPANY_WIDE))),
    PageSpec("pages/quota.py", "Quota & pipeline", ":material/flag:", "Sales", "quota",
             ignores=(("segments", "quotas are set per rep, not per segment"),)),
    PageSpec("pages/segments.py", "Segments", ":material/grid_view:", "Sales", "segments",
             ignores=(("teams", "segments follow leads, which belong to no team until a rep owns them"),)),
    PageSpec("pages/funnel.py", "Funnel & handoff", ":material/filter_alt:", "Together", "funnel"),
    PageSpec("pages/joint_plan.py", "Joint plan", ":material/handshake:", "Together", "joint-plan",
             ignores=(("period", "the plan starts the month after the as-of date and measures its own trailing "
                                 "window"),
                      ("regions", "quotas and targets are planned company-wide or per team"),
                      ("segments", "quotas and targets are planned company-wide or per team"))),
    PageSpec("pages/meeting.py", "Planning meeting", ":material/groups:", "Together", "meeting",
             ignores=(("period", "a meeting's figures are company-wide, as of its own date"),
                      ("regions", "a meeting's figures are company-wide, as of its own date"),
                      ("segments", "a meeting's figures are company-wide, as of its own date"),
                      ("teams", "a meeting's figures are company-wide, as of its own date"))),
    PageSpec("pages/definitions.py", "Definitions", ":material/menu_book:", "Together", "definitions",
             ignores=tuple((name, _NOT_DATA) for name in FILTERS)),
    PageSpec("pages/data.py", "Data", ":material/upload_file:", "Data", "data",
             ignores=tuple((name, "imports and checks cover all the data") for name in FILTERS)),
    PageSpec("pages/settings.py", "Settings", ":material/settings:", "Data", "settings",
             ignores=tuple((name, _NOT_DATA) for name in ("period", "regions", "segments", "teams"))),
)
BY_PATH = {p.path: p for p in PAGES}

SECTIONS: tuple[str, ...] = ("Leadership", "Marketing", "Sales", "Together", "Data")


def landing(*, empty: bool) -> str:
    """The page a visit opens on when its address names none: the default page, or, while the database holds no rows,
    the Data page, whose checklist says what to import first."""
    return "pages/data.py" if empty else next(p.path for p in PAGES if p.default)
