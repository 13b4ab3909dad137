"""Facts a careful reader would check, pinned on the bundled dataset.

Each number is a documented historical count (the institution's own member list) at a snapshot year
(membership as of 31 December). If one fails after a data change, the change needs a source.
"""

import pytest

from graphs import members, memberships
from graphs import schema as S


def n_members(ds, inst, year):
    return int((members(ds, inst, year, status="member")).shape[0])


def is_member(ds, state, inst, year):
    m = memberships(ds, state, year, status="member")
    return inst in set(m["institution"])


@pytest.mark.parametrize("inst, year, count", [
    ("NATO", 1949, 12), ("NATO", 1952, 14), ("NATO", 1955, 15), ("NATO", 1982, 16), ("NATO", 1999, 19),
    ("NATO", 2004, 26), ("NATO", 2009, 28), ("NATO", 2017, 29), ("NATO", 2020, 30), ("NATO", 2023, 31),
    ("NATO", 2024, 32),
    ("EU", 1958, 6), ("EU", 1973, 9), ("EU", 1981, 10), ("EU", 1986, 12), ("EU", 1995, 15), ("EU", 2004, 25),
    ("EU", 2007, 27), ("EU", 2013, 28), ("EU", 2019, 28), ("EU", 2020, 27),
    ("OECD", 1962, 20), ("OECD", 1973, 24), ("OECD", 2010, 34), ("OECD", 2021, 38),
    ("UN", 1945, 51), ("UN", 1960, 99), ("UN", 1971, 132), ("UN", 1991, 166), ("UN", 2002, 191), ("UN", 2011, 193),
    ("G7", 1976, 7), ("G7", 2024, 7), ("G8", 2013, 8), ("G8", 2014, 0),
    ("G20", 1999, 20), ("G20", 2022, 20), ("G20", 2023, 21),
    ("BRICS", 2009, 4), ("BRICS", 2023, 5), ("BRICS", 2024, 9), ("BRICS", 2025, 10),
    ("SCO", 2001, 6), ("SCO", 2016, 6), ("SCO", 2017, 8), ("SCO", 2023, 9), ("SCO", 2024, 10),
    ("QUAD", 2007, 4), ("QUAD", 2009, 0), ("QUAD", 2016, 0), ("QUAD", 2017, 4),
    ("AUKUS", 2021, 3), ("P5", 1950, 5), ("P5", 1971, 5), ("P5", 1992, 5),
    ("COE", 1949, 12), ("COE", 2021, 47), ("COE", 2022, 46),
    ("ASEAN", 1967, 5), ("ASEAN", 1999, 10), ("ASEAN", 2024, 10), ("ASEAN", 2025, 11),
    ("GCC", 1981, 6),  # COE 1949: 10 founders (May) + Greece and Turkey (August)
])
def test_member_counts(bundled, inst, year, count):
    assert n_members(bundled, inst, year) == count


def test_founders_of_nato_in_1949(bundled):
    assert set(members(bundled, "NATO", 1949)["state"]) == {
        "BEL", "CAN", "DNK", "FRA", "ISL", "ITA", "LUX", "NLD", "NOR", "PRT", "GBR", "USA"}


def test_finland_and_sweden_join_nato(bundled):
    assert not is_member(bundled, "FIN", "NATO", 2022) and is_member(bundled, "FIN", "NATO", 2023)
    assert not is_member(bundled, "SWE", "NATO", 2023) and is_member(bundled, "SWE", "NATO", 2024)


def test_uk_leaves_the_eu_in_2020(bundled):
    assert is_member(bundled, "GBR", "EU", 2019)
    assert not is_member(bundled, "GBR", "EU", 2020) and not is_member(bundled, "GBR", "EU", 2021)


def test_african_union_in_the_g20_from_2023(bundled):
    assert not is_member(bundled, "XAU", "G20", 2022) and is_member(bundled, "XAU", "G20", 2023)
    assert bundled.state["XAU"].kind == "non-state" and bundled.state["XEU"].kind == "non-state"


def test_russia_out_of_the_g8_in_2014_and_the_council_of_europe_in_2022(bundled):
    assert is_member(bundled, "RUS", "G8", 2013) and not is_member(bundled, "RUS", "G8", 2014)
    assert is_member(bundled, "RUS", "COE", 2021) and not is_member(bundled, "RUS", "COE", 2022)


def test_quad_lapses_after_2008_and_revives_in_2017(bundled):
    assert {n_members(bundled, "QUAD", y) for y in range(2009, 2017)} == {0}
    assert set(members(bundled, "QUAD", 2017)["state"]) == {"AUS", "IND", "JPN", "USA"}


def test_brics_expansions(bundled):
    joined_2024 = set(members(bundled, "BRICS", 2024)["state"]) - set(members(bundled, "BRICS", 2023)["state"])
    assert {"EGY", "ETH", "IRN", "ARE"} <= joined_2024
    assert is_member(bundled, "IDN", "BRICS", 2025) and not is_member(bundled, "IDN", "BRICS", 2024)


def test_timor_leste_joins_asean_in_2025(bundled):
    assert not is_member(bundled, "TLS", "ASEAN", 2024) and is_member(bundled, "TLS", "ASEAN", 2025)


def test_indonesia_un_withdrawal_1965_66(bundled):
    assert is_member(bundled, "IDN", "UN", 1964)
    assert not is_member(bundled, "IDN", "UN", 1965)
    assert is_member(bundled, "IDN", "UN", 1966)


def test_china_un_seat_moves_in_1971(bundled):
    assert is_member(bundled, "TWN", "UN", 1970) and not is_member(bundled, "CHN", "UN", 1970)
    assert is_member(bundled, "CHN", "UN", 1971) and not is_member(bundled, "TWN", "UN", 1971)
    assert is_member(bundled, "CHN", "P5", 1971) and is_member(bundled, "TWN", "P5", 1970)


def test_soviet_seat_passes_to_russia(bundled):
    assert is_member(bundled, "SUN", "UN", 1990) and not is_member(bundled, "SUN", "UN", 1991)
    assert is_member(bundled, "RUS", "UN", 1991)


def test_india_straddles_the_quad_and_the_sco(bundled):
    assert {"QUAD", "SCO", "BRICS", "G20"} <= set(memberships(bundled, "IND", 2024, status="member")["institution"])


def test_at_least_45_institutions_with_every_label(bundled):
    assert len(bundled.institutions) >= 45
    for inst in bundled.institutions:
        assert inst.type in S.TYPES and inst.domain in S.DOMAINS, inst.id
        assert inst.formality in S.FORMALITIES and inst.orientation in S.ORIENTATIONS, inst.id
        assert inst.orientation_reason and inst.source.startswith("http"), inst.id


def test_every_spell_and_state_has_a_source(bundled):
    assert all(s.source.startswith("http") for s in bundled.spells)
    assert all(s.source.startswith("http") for s in bundled.states)


def test_starter_set_has_histories(bundled):
    for inst in ("UN", "NATO", "EU", "G7", "G20", "SCO", "QUAD", "AIIB"):
        assert members(bundled, inst).shape[0] >= 3, inst


def test_all_un_members_and_observers_are_states(bundled):
    un_2024 = set(members(bundled, "UN", 2024)["state"])
    assert len(un_2024) == 195 and {"VAT", "PSE"} <= un_2024          # 193 members + 2 observer states
    assert {"TWN", "XKX"} <= set(bundled.state)
