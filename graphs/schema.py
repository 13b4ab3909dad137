"""Column layouts and allowed values of the data format (documented in data/README.md)."""

from __future__ import annotations

import re

STATE_COLUMNS = ("code", "cow_code", "name", "kind", "region", "start", "end", "successor", "source", "note")
STATE_REQUIRED = ("code", "name", "kind", "start", "source")

INSTITUTION_COLUMNS = (
    "id", "name", "founded", "dissolved", "type", "domain", "formality",
    "orientation", "orientation_reason", "source", "note",
)
INSTITUTION_REQUIRED = ("id", "name", "founded", "source")
# Optional: whether the membership files hold the institution's whole roster, and if not, what is missing.
INSTITUTION_OPTIONAL = ("roster", "roster_gap")

MEMBERSHIP_COLUMNS = ("state", "institution", "status", "start", "end", "source", "note")
MEMBERSHIP_REQUIRED = ("state", "institution", "status", "start", "source")

KINDS = ("state", "non-state")
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")
TYPES = ("club", "concert", "coalition", "regional", "charter")  # tightest first: the ring order
DOMAINS = (
    "general", "security", "economic", "finance", "trade", "development",
    "health", "environment", "technology", "space",
)
FORMALITIES = ("treaty", "informal")
ORIENTATIONS = ("western-led", "china/russia-led", "global-south", "universal")
ROSTERS = ("complete", "partial")
STATUSES = ("member", "associate", "observer", "partner", "dialogue-partner", "suspended")

CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,15}$")
URL_RE = re.compile(r"^https?://\S+$")

STATES_FILE = "states.csv"
INSTITUTIONS_FILE = "institutions.csv"
MEMBERSHIPS_DIR = "memberships"
