"""CAMEO actor codes taken apart into GDELT's actor columns: country, known group, ethnic, religions, types.

A CAMEO actor code is a run of 3-letter blocks (``RUSGOV``, ``IGOEUREEC``, ``NGOUSAHRI``, ``MMRGOVMIL``).
GDELT 2.0 gives each actor its full code and the code's parts in separate columns (``Actor1CountryCode``,
``Actor1KnownGroupCode``, ``Actor1EthnicCode``, ``Actor1Religion1Code``/``2``, ``Actor1Type1Code``/``2``/
``3``). This module does the same split for the codes Tacitus writes, block by block:

- the first block is the country when it is a country (ISO 3166 alpha-3 and the historical CAMEO codes of
  :func:`tacitus.kb.is_cameo_country`) or one of CAMEO's regions (:data:`REGIONS`; GDELT puts ``EUR`` and ``AFR``
  in ``CountryCode``); ``---``, Tacitus's "country unknown", gives none;
- a block of :data:`TYPES` (the agents of the Phoenix/PLOVER agent dictionaries and CAMEO's international
  prefixes IGO, NGO, ...) is a type, up to three in code order, as GDELT keeps three;
- a block of :data:`RELIGIONS` is a religion (up to two; Catholic is ``CHRCTH``: Christian, then Catholic);
- a block of :data:`ETHNIC` is the ethnic group;
- a later block that is a country or region fills the country when none came first (``IGOEUREEC``: EUR);
- any other alphabetic block is the known group (``IGOUNO``: UNO, ``IGOEUREEC``: EEC, ``PSEREBHMS``: HMS),
  the first one only, as GDELT has one column for it.

Blocks that are not three letters (a user's ``REN214``) go into no part; they stay in the full code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from tacitus.kb import is_cameo_country


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


# CAMEO's region codes (CAMEO manual v1.1b3, "Regions") and the few Tacitus's knowledge base adds for the
# Phoenix armed-group files (WEU Western Europe, USR the Soviet Union as an alliance of republics).
REGIONS = _codes(
    "AFR ASA BLK CAF CAS CAU CEU CFR CRB EAF EEU EIN EUR LAM MDT MEA NAF NMR PGS SAF SAM SAS SCN "
    "SEA WAF WEU WST USR"
)

# Agent (sector) codes: those of phoenix/Phoenix.agents.txt and plover/PLOVER_agents.txt that are not
# religions, CAMEO's role codes Tacitus's knowledge base uses beyond them (INS insurgents, SEP separatists,
# MOD moderate, UIS unidentified state actor, SET settlers, PPL people), and the international prefixes
# (IGO, NGO, IMG, MNC, NGM), which GDELT reports as types too.
TYPES = _codes(
    "AGR BUS COP CRM CVL DEV EDU ELI ENV GOV HLH HRI JNK JRN JUD LAB LEG MAR MED MIL NON OPP PPL "
    "PRE PRM PTY RAD REB REF REL SOC SPY UAF UNK INS SEP MOD UIS SET IGO NGO IMG MNC NGM"
)

# CAMEO's religion codes (the "Religions" table of the CAMEO manual, which GDELT's Religion columns use),
# with MUS, the Phoenix agent file's spelling of MOS (Muslim). SUN (Sunni) is also the Soviet Union's
# country code: in first position it is read as the country.
RELIGIONS = _codes(
    "ADR ALE ATH BAH BUD CHR CON CPT CTH DOX DRZ HIN HSD ITR JAN JEW JHW LDS MOS MRN MUS NRM PAG "
    "PRO SFI SHI SHN SIK SUN TAO UDX ZRO"
)

# The ethnic-group blocks that occur in the Phoenix dictionaries Tacitus's knowledge base is built from
# (Arabs, Kurds, Tamils, Uighurs, Tibetans); CAMEO's full ethnic table is not among our resources, so other
# ethnic codes in a user's actor file fall through to KnownGroupCode.
ETHNIC = frozenset(["ARB", "KUR", "TAM", "UIG", "TIB"])

UNKNOWN_COUNTRY = "---"


@dataclass(frozen=True)
class ActorParts:
    """One actor code as GDELT's ten actor columns hold it (without the name): empty strings for none."""

    code: str = ""
    country: str = ""
    known_group: str = ""
    ethnic: str = ""
    religion1: str = ""
    religion2: str = ""
    type1: str = ""
    type2: str = ""
    type3: str = ""

    @property
    def types(self) -> tuple[str, ...]:
        """The type codes, in code order."""
        return tuple(t for t in (self.type1, self.type2, self.type3) if t)

    @property
    def religions(self) -> tuple[str, ...]:
        """The religion codes, in code order."""
        return tuple(r for r in (self.religion1, self.religion2) if r)


NO_ACTOR = ActorParts()


def _is_place(block: str) -> bool:
    # CAMEO's table only: an export reads a stored code the same way whatever actor files analysed it
    return block in REGIONS or is_cameo_country(block)


@lru_cache(maxsize=65536)
def split_actor_code(code: str | None) -> ActorParts:
    """Return the GDELT parts of a CAMEO actor code (``"IGOEUREEC"`` -> country EUR, group EEC, type IGO).

    ``None`` or an empty code gives :data:`NO_ACTOR`. ``code`` in the result is the code as GDELT writes
    it: Tacitus's ``---`` for an unknown country is dropped (``---GOV`` is ``GOV``), since GDELT's codes
    start with a type when the country is unknown. Cached: an export meets the same few codes again and
    again.
    """
    if not code:
        return NO_ACTOR
    text = code.strip().upper()
    blocks = [text[i : i + 3] for i in range(0, len(text), 3)]
    if blocks and blocks[0] == UNKNOWN_COUNTRY:
        blocks = blocks[1:]
    if not blocks:
        return NO_ACTOR
    country = known = ethnic = ""
    religions: list[str] = []
    types: list[str] = []
    for n, block in enumerate(blocks):
        if len(block) != 3 or not block.isalpha():
            continue
        if n == 0 and _is_place(block):
            country = block
        elif block in TYPES:
            types.append(block)
        elif block in RELIGIONS:
            religions.append(block)
        elif block in ETHNIC:
            ethnic = ethnic or block
        elif _is_place(block) and not country:
            country = block
        elif not known and not _is_place(block):
            known = block
    types += [""] * 3
    religions += [""] * 2
    return ActorParts(
        code="".join(blocks),
        country=country,
        known_group=known,
        ethnic=ethnic,
        religion1=religions[0],
        religion2=religions[1],
        type1=types[0],
        type2=types[1],
        type3=types[2],
    )
