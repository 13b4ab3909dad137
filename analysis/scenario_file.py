"""Scenario files: YAML in the schema of ``data/scenarios/README.md``, read safely and with line numbers.

The file is parsed with ``yaml.compose`` and PyYAML's ``SafeLoader``, which builds a tree of nodes and never
constructs Python objects, so no tag can run code; every scalar is read from its text as written, so
``NO`` stays Norway's code and ``2024-06-01`` stays a date string. Every node keeps its line, so each
problem — an unknown key (with a did-you-mean), a missing key, a list where a name was expected, a duplicate
key — is reported with file and line, all at once. Problems that need the dataset (an unknown state, leaving
an institution the state is not in) are found by :func:`analysis.scenario.apply_scenario`, which reports
them together with these.

>>> s = parse_scenario("name: Ukraine joins NATO\\nedits:\\n  - {action: join, state: UKR, institution: NATO}\\n")
>>> s.edits[0]
Join(date=None, note='', states=('UKR',), institution='NATO', status='member', until=None)
>>> s.edits[0].line("states[0]")
3
"""

from __future__ import annotations

from pathlib import Path

import yaml

from graphs.problems import DataError, Problem, did_you_mean

from .scenario import ACTIONS, ChangeStatus, Create, Dissolve, Join, Leave, Scenario

TOP_KEYS = ("name", "description", "year", "date", "focus", "edits")
COMMON_KEYS = ("action", "date", "note")
EDIT_KEYS = {
    "join": ("state", "states", "institution", "status", "until"),
    "leave": ("state", "states", "institution"),
    "change-status": ("state", "states", "institution", "status"),
    "create": ("institution", "members", "name", "type", "domain", "formality", "orientation"),
    "dissolve": ("institution",),
}
REQUIRED = {
    "join": ("institution",), "leave": ("institution",), "change-status": ("institution", "status"),
    "create": ("institution", "members"), "dissolve": ("institution",),
}
_STANDARD_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_STANDARD_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}


def _line(node) -> int:
    return node.start_mark.line + 1


class _Reader:
    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, node, where: str | None, value, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.source, _line(node) if node is not None else None, where,
                                     value, message, hint))

    def plain(self, node, where: str | None) -> bool:
        """False, with a problem, for a node with a tag other than YAML's plain types (``!!python/...``)."""
        if node.tag in _PLAIN_TAGS:
            return True
        self.problem(node, where, node.tag, "unsupported YAML tag", "scenario files hold plain values only")
        return False

    def mapping(self, node, where: str, allowed, context: str) -> dict[str, tuple]:
        """``{key: (key node, value node)}`` of a mapping node; problems for unknown and duplicate keys."""
        if not self.plain(node, where):
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, where, _text(node), f"expected a mapping ({context})",
                         f"expected keys among {', '.join(allowed)}")
            return {}
        out: dict[str, tuple] = {}
        for knode, vnode in node.value:
            key = knode.value if isinstance(knode, yaml.ScalarNode) else None
            if key is None:
                self.problem(knode, where, None, "expected a plain key")
                continue
            if key in out:
                self.problem(knode, where, key, f"duplicate key (first on line {_line(out[key][0])})")
                continue
            out[key] = (knode, vnode)
        return out

    def unknown_keys(self, keys: dict, allowed, where: str, context: str, elsewhere=None) -> None:
        for key, (knode, _) in keys.items():
            if key in allowed:
                continue
            hint = did_you_mean(key, allowed)
            owner = [a for a, ks in (elsewhere or {}).items() if key in ks]
            if not hint and owner:
                hint = f"{key!r} belongs to action {' or '.join(owner)}"
            self.problem(knode, where, key, f"unknown key {context}",
                         hint or f"expected one of {', '.join(allowed)}")

    def scalar(self, node, where: str, what: str = "a value") -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, where, _text(node), f"expected {what}, not a {_kind(node)}")
            return None
        if not self.plain(node, where):
            return None
        if node.tag == _STANDARD_TAG + "null" and node.style is None:
            return None
        return node.value

    def names(self, node, where: str, lines: dict, key: str) -> tuple[str, ...]:
        """A scalar or a list of scalars (state codes), recording each item's line as ``key[j]``."""
        if not self.plain(node, where):
            return ()
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        out = []
        for j, item in enumerate(items):
            value = self.scalar(item, where, "a state code")
            if value is not None:
                lines[f"{key}[{len(out)}]"] = _line(item)
                out.append(value)
        return tuple(out)

    # ---- the document -----------------------------------------------------------------------------------
    def scenario(self, root, default_name: str) -> Scenario:
        if root is None or isinstance(root, yaml.MappingNode) and not root.value:
            self.problems.append(Problem(self.source, None, None, None, "empty scenario",
                                         "expected keys name and edits (see data/scenarios/README.md)"))
            return Scenario(default_name, (), source=self.source, problems=tuple(self.problems))
        keys = self.mapping(root, None, TOP_KEYS, "the scenario")
        self.unknown_keys(keys, TOP_KEYS, None, "in the scenario")
        lines = {k: _line(v) for k, (_, v) in keys.items()}
        get = {k: self.scalar(v, k) for k, (_, v) in keys.items() if k in ("name", "description", "year", "date")}
        year = None
        if get.get("year") is not None:
            try:
                year = int(get["year"])
            except ValueError:
                self.problem(keys["year"][1], "year", get["year"], "malformed year", "expected a year like 2024")
        focus = self.names(keys["focus"][1], "focus", lines, "focus") if "focus" in keys else ()
        edits = []
        if "edits" not in keys:
            if isinstance(root, yaml.MappingNode):
                self.problem(root, None, None, "missing key edits", "expected edits: a list of edits")
        elif not isinstance(keys["edits"][1], yaml.SequenceNode) or not keys["edits"][1].value:
            self.problem(keys["edits"][1], "edits", _text(keys["edits"][1]), "expected a non-empty list of edits")
        else:
            for n, node in enumerate(keys["edits"][1].value, start=1):
                edit = self.edit(node, n)
                if edit is not None:
                    edits.append(edit)
        return Scenario(get.get("name") or default_name, edits, description=get.get("description") or "",
                        year=year, date=get.get("date"), focus=focus, source=self.source, lines=lines,
                        problems=tuple(self.problems))

    def edit(self, node, n: int):
        where = f"edit {n}"
        keys = self.mapping(node, where, ("action",) + EDIT_KEYS["join"], "an edit")
        if not keys:
            return None
        if "action" not in keys:
            self.problem(node, where, None, "missing key action", f"expected action: one of {', '.join(ACTIONS)}")
            return None
        action = self.scalar(keys["action"][1], f"{where}: action")
        if action not in ACTIONS:
            self.problem(keys["action"][1], f"{where}: action", action, "unknown action",
                         did_you_mean(str(action), ACTIONS) or f"expected one of {', '.join(ACTIONS)}")
            return None
        allowed = COMMON_KEYS + EDIT_KEYS[action]
        self.unknown_keys(keys, allowed, where, f"for action {action}",
                          {a: ks for a, ks in EDIT_KEYS.items() if a != action})
        lines = {"": _line(node)}
        lines.update({k: _line(v) for k, (_, v) in keys.items()})
        ok = True
        for key in REQUIRED[action]:
            if key not in keys:
                self.problem(node, where, None, f"missing key {key} for action {action}")
                ok = False
        fields = {}
        for key in ("institution", "status", "until", "date", "note", "name", "type", "domain", "formality",
                    "orientation"):
            if key in keys and key in allowed:
                value = self.scalar(keys[key][1], f"{where}: {key}")
                if value is None and key in REQUIRED[action]:
                    ok = False
                if value is not None:
                    fields[key] = value
        if action in ("join", "leave", "change-status"):
            if "state" in keys and "states" in keys:
                self.problem(keys["states"][0], where, None, "give state or states, not both")
                ok = False
            elif "state" not in keys and "states" not in keys:
                self.problem(node, where, None, f"missing key states for action {action}",
                             "expected state: ISO3 or states: [ISO3, ...]")
                ok = False
            else:
                key = "state" if "state" in keys else "states"
                fields["states"] = self.names(keys[key][1], f"{where}: {key}", lines, "states")
                ok &= bool(fields["states"])
        if action == "create" and "members" in keys:
            fields["members"] = self.names(keys["members"][1], f"{where}: members", lines, "members")
        if not ok:
            return None
        cls = {"join": Join, "leave": Leave, "change-status": ChangeStatus, "create": Create, "dissolve": Dissolve}
        date, note = fields.pop("date", None), fields.pop("note", "")
        return cls[action](**fields, date=date, note=note, lines=lines)


def _kind(node) -> str:
    return {yaml.MappingNode: "mapping", yaml.SequenceNode: "list", yaml.ScalarNode: "value"}.get(type(node), "node")


def _text(node) -> str | None:
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        return node.value
    return f"a {_kind(node)}"


def parse_scenario(text: str, source: str = "scenario", default_name: str | None = None) -> Scenario:
    """A :class:`Scenario` from YAML text. A file that is not YAML at all raises :class:`DataError` with the
    line of the syntax error; every other problem is kept in ``scenario.problems`` and reported by
    :func:`analysis.scenario.apply_scenario` together with the problems found against the dataset."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise DataError([Problem(source, mark.line + 1 if mark else None, None, None,
                                 f"not valid YAML: {exc.problem or exc.context}",
                                 "see data/scenarios/README.md for the format")]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(source, None, None, None, f"not valid YAML: {exc}")]) from None
    return _Reader(source).scenario(root, default_name or source)


def load_scenario(path) -> Scenario:
    """Read a scenario file (see :func:`parse_scenario`); a missing file raises :class:`DataError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError([Problem(str(path), None, None, None, "scenario file not found",
                                 "see data/scenarios/ for examples")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError([Problem(str(path), None, None, None, f"cannot read the scenario file: {exc}")]) from None
    return parse_scenario(text, str(path), default_name=path.stem)


__all__ = ["load_scenario", "parse_scenario", "TOP_KEYS", "EDIT_KEYS"]
