"""A user's own actor entries (``--actors my.yml``): add people and organisations, or override ours.

The file is a YAML list; every entry is checked and every error names the file and line::

    - name: Igor Morgulov              # the canonical name (required)
      code: RUSGOV                     # a CAMEO code valid throughout, or dated codes:
      # codes: [{code: RUSGOV, from: 2011-05-01, until: null}]
      kind: person                     # person (default), organization, group, country, igo
      names: [Morgulov, I. V. Morgulov]  # other ways the news writes it
    - role: finance minister           # a role word, and the sector it gives (GOV, MIL, GOVMIL, ...)
      code: GOV

A dated code holds from ``from`` (inclusive; open if missing or null) until ``until`` (exclusive: the
first day it no longer holds, as TABARI's end dates; open if missing or null). A name or role in the file
wins over the packaged knowledge base's for the same written form. ``tacitus actors import`` writes such a
file from TABARI/PETRARCH dictionaries (:mod:`tacitus.kb.tabari`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from tacitus.errors import InvalidRuleFile
from tacitus.kb import normalize

KEYS = ("name", "code", "codes", "kind", "names")
KINDS = ("person", "organization", "group", "country", "igo")
CODE_KEYS = ("code", "from", "until")
ROLE_KEYS = ("role", "code")
# A role's code is the sector it adds to the actor's country: 3-letter groups, as the agent code of a
# TABARI agents file without its "~" ([~GOV] is GOV, [~GOVFRM] is GOVFRM).
_SECTOR = re.compile(r"^(?:[A-Z]{3})+$")
_CODE = re.compile(r"^([A-Z]{3}|---)([A-Z]{3}|[0-9]{3})*$")


def _where(path: Path, node: Any, key: str | None = None) -> str:
    lc = getattr(node, "lc", None)
    if lc is None:
        return str(path)
    line = lc.key(key)[0] if key is not None and key in node else lc.line
    return f"{path}:{line + 1}"


def _code(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        raise InvalidRuleFile(f"{where}: {value!r} is not a CAMEO actor code; write e.g. RUSGOV or IGOUNO")
    return value


def _day(value: Any, where: str) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidRuleFile(f"{where}: {value!r} is not a date; write it as YYYY-MM-DD") from None


def _entry(path: Path, node: Any, n: int) -> dict[str, Any]:
    where = _where(path, node)
    if not isinstance(node, dict):
        raise InvalidRuleFile(
            f"{where}: entry {n} must be a mapping with name and code (or role and code); see tacitus.kb.user"
        )
    unknown = [k for k in node if k not in KEYS]
    if unknown:
        raise InvalidRuleFile(
            f"{_where(path, node, unknown[0])}: unknown key {unknown[0]!r}; use {', '.join(KEYS)}"
        )
    name = node.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidRuleFile(f"{where}: entry {n} needs a 'name'")
    if ("code" in node) == ("codes" in node):
        raise InvalidRuleFile(f"{where}: give either 'code' or 'codes' for {name!r}")
    if "code" in node:
        codes = [{"code": _code(node["code"], _where(path, node, "code")), "start": None, "end": None}]
    else:
        raw = node["codes"]
        if not isinstance(raw, list) or not raw:
            raise InvalidRuleFile(
                f"{_where(path, node, 'codes')}: 'codes' must be a list of {{code, from, until}}"
            )
        codes = []
        for item in raw:
            item_where = _where(path, item)
            if not isinstance(item, dict) or "code" not in item:
                raise InvalidRuleFile(f"{item_where}: each of 'codes' needs a 'code'")
            extra = [k for k in item if k not in CODE_KEYS]
            if extra:
                raise InvalidRuleFile(f"{item_where}: unknown key {extra[0]!r}; use {', '.join(CODE_KEYS)}")
            codes.append(
                {
                    "code": _code(item["code"], item_where),
                    "start": _day(item.get("from"), item_where),
                    "end": _day(item.get("until"), item_where),
                }
            )
    kind = node.get("kind", "person")
    if kind not in KINDS:
        raise InvalidRuleFile(f"{_where(path, node, 'kind')}: kind {kind!r}; use one of {', '.join(KINDS)}")
    names = node.get("names", [])
    if not isinstance(names, list) or not all(isinstance(x, str) and x.strip() for x in names):
        raise InvalidRuleFile(f"{_where(path, node, 'names')}: 'names' must be a list of names")
    first = codes[0]["code"]
    country = first[:3] if first[:3] != "---" else None
    return {
        "id": f"user:{n}:{name.strip()}",
        "name": name.strip(),
        "kind": kind,
        "country": country,
        "names": [name.strip(), *[x.strip() for x in names]],
        "codes": codes,
        "source": f"{path}:{_where(path, node).rsplit(':', 1)[-1]}",
    }


def _role(path: Path, node: Any, n: int) -> tuple[str, str]:
    where = _where(path, node)
    unknown = [k for k in node if k not in ROLE_KEYS]
    if unknown:
        raise InvalidRuleFile(
            f"{_where(path, node, unknown[0])}: unknown key {unknown[0]!r} in a role; use {', '.join(ROLE_KEYS)}"
        )
    phrase = node.get("role")
    if not isinstance(phrase, str) or not normalize(phrase):
        raise InvalidRuleFile(f"{_where(path, node, 'role')}: entry {n}: 'role' must be a phrase, e.g. envoy")
    if "code" not in node:
        raise InvalidRuleFile(f"{where}: give the 'code' (sector) of the role {phrase!r}, e.g. GOV")
    code = node["code"]
    code_where = _where(path, node, "code")
    if isinstance(code, str) and "~" in code and _SECTOR.match(code.strip("~ ")):
        raise InvalidRuleFile(
            f"{code_where}: write the role's code without '~' ({code.strip('~ ')}); "
            "codes that go before the actor's ([IGO~]) are not roles"
        )
    if not isinstance(code, str) or not _SECTOR.match(code):
        raise InvalidRuleFile(f"{code_where}: {code!r} is not a sector code; write e.g. GOV, MIL or GOVMIL")
    return phrase.strip(), code


def load_user_file(path: str | Path) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Read and check a user's actor file: its entries, in the knowledge base's JSON shape, and its roles
    as (phrase, sector) pairs, both in file order.

    Raises :class:`InvalidRuleFile` with the file and line for every mistake (an unknown key, a code that is
    not CAMEO, a bad date, a file that is not YAML or cannot be read).
    """
    from srsly.ruamel_yaml import YAML
    from srsly.ruamel_yaml.error import YAMLError

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidRuleFile(
            f"{path}: cannot read the actor file ({exc}); check the --actors path"
        ) from None
    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise InvalidRuleFile(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if data is None:
        return [], []
    if not isinstance(data, list):
        raise InvalidRuleFile(f"{path}:1: the actor file must be a YAML list of entries (- name: ...)")
    entries: list[dict[str, Any]] = []
    roles: list[tuple[str, str]] = []
    for n, node in enumerate(data, start=1):
        if isinstance(node, dict) and "role" in node:
            roles.append(_role(path, node, n))
        else:
            entries.append(_entry(path, node, n))
    return entries, roles


def load_user_actors(path: str | Path) -> list[dict[str, Any]]:
    """Read and check a user's actor file (roles too); return its entries in the knowledge base's JSON shape.

    Raises :class:`InvalidRuleFile` as :func:`load_user_file` does.
    """
    return load_user_file(path)[0]
