"""Every scenario error message: in the YAML file (with its line) and against the data, all found at once."""

import textwrap

import pytest

from analysis.scenario import ChangeStatus, Create, Dissolve, Join, Leave, Scenario, apply_scenario
from analysis.scenario_file import load_scenario, parse_scenario
from graphs import DataError


def problems(mini, text, year=2024):
    """The problems of a scenario file's text, applied to the mini fixture."""
    sc = parse_scenario(textwrap.dedent(text), "s.yaml")
    with pytest.raises(DataError) as exc:
        apply_scenario(mini, sc, year)
    return exc.value.problems


def one(mini, text, year=2024):
    (p,) = problems(mini, text, year)
    return p


def edits(*lines):
    return "name: t\nedits:\n" + "\n".join(lines) + "\n"


# ---- the file --------------------------------------------------------------------------------------------------

def test_yaml_syntax_error_has_its_line():
    with pytest.raises(DataError) as exc:
        parse_scenario("name: t\nedits:\n  - action: join\n    state: [UKR\n", "s.yaml")
    (p,) = exc.value.problems
    assert p.file == "s.yaml" and p.line == 5 and p.message.startswith("not valid YAML:")


def test_missing_file():
    with pytest.raises(DataError) as exc:
        load_scenario("no/such/scenario.yaml")
    assert exc.value.problems[0].message == "scenario file not found"


def test_empty_file_and_a_list_at_the_top(mini):
    assert one(mini, "").message == "empty scenario"
    p = one(mini, "- action: join\n")
    assert (p.line, p.message) == (1, "expected a mapping (the scenario)")


def test_unknown_top_level_key_with_did_you_mean(mini):
    # 'edits' is missing too: both are reported
    ps = problems(mini, "name: t\nedit:\n  - {action: join, state: EEE, institution: BANK}\n")
    assert [(q.line, q.message) for q in ps] == [(1, "missing key edits"), (2, "unknown key in the scenario")]
    assert ps[1].value == "edit" and ps[1].hint == "did you mean 'edits'?"


def test_edits_must_be_a_non_empty_list(mini):
    for text in ("name: t\nedits: []\n", "name: t\nedits: join\n"):
        p = one(mini, text)
        assert (p.line, p.message) == (2, "expected a non-empty list of edits")


def test_an_edit_must_be_a_mapping_with_an_action(mini):
    p = one(mini, edits("  - join UKR to NATO"))
    assert (p.line, p.column, p.message) == (3, "edit 1", "expected a mapping (an edit)")
    p = one(mini, edits("  - {state: EEE, institution: BANK}"))
    assert p.message == "missing key action" and "join, leave, change-status, create, dissolve" in p.hint


def test_unknown_action_with_did_you_mean(mini):
    p = one(mini, edits("  - action: jion", "    state: EEE", "    institution: BANK"))
    assert (p.line, p.value, p.message, p.hint) == (3, "jion", "unknown action", "did you mean 'join'?")


def test_unknown_key_for_the_action(mini):
    p = one(mini, edits("  - action: join", "    state: EEE", "    institution: BANK", "    stat: member"))
    assert (p.line, p.value, p.message) == (6, "stat", "unknown key for action join")
    assert "'state'" in p.hint and "'status'" in p.hint
    p = one(mini, edits("  - action: join", "    state: EEE", "    institution: BANK", "    members: [AAA]"))
    assert p.hint == "'members' belongs to action create"


def test_missing_keys(mini):
    p = one(mini, edits("  - {action: leave, state: EEE}"))
    assert p.message == "missing key institution for action leave"
    p = one(mini, edits("  - {action: leave, institution: BANK}"))
    assert p.message == "missing key states for action leave" and "state: ISO3" in p.hint
    p = one(mini, edits("  - {action: change-status, state: EEE, institution: FORUM}"))
    assert p.message == "missing key status for action change-status"


def test_state_and_states_together(mini):
    p = one(mini, edits("  - action: join", "    state: EEE", "    states: [AAA]", "    institution: FORUM"))
    assert (p.line, p.message) == (5, "give state or states, not both")


def test_a_list_where_one_value_was_expected(mini):
    p = one(mini, edits("  - action: leave", "    state: EEE", "    institution: [BANK, CLUB]"))
    assert (p.line, p.column, p.value, p.message) == (5, "edit 1: institution", "a list",
                                                      "expected a value, not a list")


def test_duplicate_key(mini):
    p = one(mini, edits("  - action: leave", "    state: EEE", "    institution: CLUB", "    state: AAA"))
    assert (p.line, p.value, p.message) == (6, "state", "duplicate key (first on line 4)")


def test_no_yaml_tag_is_constructed(mini):
    p = one(mini, edits("  - action: leave", "    state: !!python/object/apply:os.system [echo hi]",
                        "    institution: CLUB"))
    assert (p.line, p.value, p.message) == (4, "tag:yaml.org,2002:python/object/apply:os.system",
                                            "unsupported YAML tag")
    p = one(mini, edits("  - action: leave", "    state: !!python/name:os.system", "    institution: CLUB"))
    assert (p.line, p.value, p.message) == (4, "tag:yaml.org,2002:python/name:os.system", "unsupported YAML tag")


def test_values_are_read_as_written():
    sc = parse_scenario("name: t\ndate: 2024-06-01\nedits:\n  - {action: join, state: NO, institution: EU}\n")
    assert sc.edits[0].states == ("NO",) and sc.date == "2024-06-01"


def test_malformed_year(mini):
    p = one(mini, "name: t\nyear: twenty\nedits:\n  - {action: join, state: EEE, institution: BANK}\n")
    assert (p.line, p.value, p.message) == (2, "twenty", "malformed year")


# ---- against the data ------------------------------------------------------------------------------------------

def test_unknown_state_and_institution_with_did_you_mean(mini):
    p1, p2 = problems(mini, edits("  - action: join", "    states: [EEE, AAB]", "    institution: BANKK"))
    assert (p1.line, p1.column, p1.value, p1.message, p1.hint) == \
        (4, "edit 1: states[1]", "AAB", "unknown state", "did you mean 'AAA'?")
    assert (p2.line, p2.value, p2.message, p2.hint) == (5, "BANKK", "unknown institution", "did you mean 'BANK'?")


def test_state_or_institution_that_does_not_exist_on_the_date(mini):
    p = one(mini, edits("  - {action: join, state: CCC, institution: BANK}"))
    assert p.message == "CCC did not exist on 2024-12-31" and p.hint == "Carpania existed 1950-06-01–1991-12-26"
    p = one(mini, edits("  - {action: join, state: EEE, institution: PACT}"))
    assert p.message == "PACT did not exist on 2024-12-31" and p.hint == "Eastern Pact existed 1955-05-14–1991-07-01"
    p = one(mini, edits("  - {action: join, state: EEE, institution: FORUM, date: 1999}"), year=2000)
    assert p.message == "FORUM did not exist on 1999"


def test_joining_twice(mini):
    p = one(mini, edits("  - {action: join, state: EEE, institution: CLUB}"))
    assert p.message == "EEE is already member of CLUB on 2024-12-31 (joining twice)"
    assert p.hint == "its spell 1982-05-30–open is on memberships/others.csv:4"
    p = one(mini, edits("  - {action: join, state: AAA, institution: FORUM}"))
    assert p.message == "AAA is already dialogue-partner of FORUM on 2024-12-31 (joining twice)"
    assert p.hint.endswith("use action change-status to change its status")
    p = one(mini, edits("  - {action: join, state: EEE, institution: BANK}",
                        "  - {action: join, state: EEE, institution: BANK}"))
    assert p.column == "edit 2: states[0]" and p.hint.startswith("its spell 2024-12-31–open is on s.yaml:3")


def test_a_state_listed_twice(mini):
    p = one(mini, edits("  - {action: join, states: [EEE, eee], institution: BANK}"))
    assert (p.column, p.message) == ("edit 1: states[1]", "EEE is listed twice in this edit")


def test_leaving_an_institution_the_state_is_not_in(mini):
    p = one(mini, edits("  - {action: leave, state: DDD, institution: CLUB}"))
    assert p.message == "DDD is not in CLUB on 2024-12-31, so it cannot leave"
    assert p.hint == "DDD never belonged to CLUB in the data"
    p = one(mini, edits("  - {action: leave, state: BBB, institution: BANK, date: 1970}"), year=1980)
    assert p.hint == "its spells in BANK: member 1945-12-27–1950-03-14; member 1986-06-12–open"


def test_change_status_problems(mini):
    p = one(mini, edits("  - {action: change-status, state: DDD, institution: CLUB, status: observer}"))
    assert p.message == "DDD is not in CLUB on 2024-12-31, so its status cannot change"
    assert p.hint.endswith("use action join")
    p = one(mini, edits("  - {action: change-status, state: EEE, institution: CLUB, status: member}"))
    assert p.message == "EEE is already member of CLUB on 2024-12-31"
    p = one(mini, edits("  - {action: change-status, state: EEE, institution: CLUB, status: observr}"))
    assert (p.value, p.message, p.hint) == ("observr", "unknown status", "did you mean 'observer'?")


def test_bad_dates(mini):
    p = one(mini, edits("  - {action: join, state: EEE, institution: BANK, date: 2024-13-01}"))
    assert (p.column, p.value, p.message) == ("edit 1: date", "2024-13-01", "malformed date: month must be 01-12")
    p = one(mini, edits("  - {action: join, state: EEE, institution: BANK, date: 2025-01-01}"))
    assert p.message == ("date is after the 2024 snapshot (2024-12-31), so the edit would not show in the "
                         "comparison")
    p = one(mini, "name: t\ndate: 24\nedits:\n  - {action: join, state: EEE, institution: BANK}\n")
    assert (p.line, p.column, p.message) == (2, "date", "malformed date: expected a date as YYYY, YYYY-MM or YYYY-MM-DD")


def test_join_until_problems(mini):
    p = one(mini, edits("  - {action: join, state: EEE, institution: BANK, date: 2010, until: 2005}"))
    assert (p.column, p.message) == ("edit 1: until", "until is not after the date of the edit (2010)")
    p = one(mini, edits("  - {action: join, state: BBB, institution: BANK, date: 1960, until: 1990}"), year=1970)
    assert p.message == "BBB cannot stay in BANK until 1990: its membership would run into 1986-06-12"


def test_create_problems(mini):
    p = one(mini, edits("  - {action: create, institution: CLUB, members: [AAA]}"))
    assert (p.message, p.hint) == ("institution CLUB already exists", "choose a new id, or use join to add members to it")
    p = one(mini, edits("  - {action: create, institution: new-club, members: [AAA]}"))
    assert p.message == "malformed institution id"
    p = one(mini, edits("  - {action: create, institution: AAA, members: [BBB]}"))
    assert p.message == "institution id clashes with a state code"
    ps = problems(mini, edits("  - action: create", "    institution: NEW", "    members: [AAA, ZZZ]",
                              "    type: clubb", "    domain: defence", "    formality: formal",
                              "    orientation: western"))
    assert [(q.line, q.message) for q in ps] == [(5, "unknown state"), (6, "unknown type"), (7, "unknown domain"),
                                                 (8, "unknown formality"), (9, "unknown orientation")]
    assert ps[1].hint == "did you mean 'club'?" and ps[4].hint == "did you mean 'western-led'?"
    p = one(mini, edits("  - {action: create, institution: NEW, members: []}"))
    assert p.message == "create needs at least one state"


def test_joining_a_failed_creation_is_not_a_second_problem(mini):
    p = one(mini, edits("  - {action: create, institution: NEW, members: [AAA], type: clubb}",
                        "  - {action: join, state: BBB, institution: NEW}"))
    assert p.message == "unknown type"


def test_dissolving_what_is_gone(mini):
    p = one(mini, edits("  - {action: dissolve, institution: PACT}"))
    assert p.message == "PACT did not exist on 2024-12-31"
    p = one(mini, edits("  - {action: dissolve, institution: CLUB}", "  - {action: dissolve, institution: CLUB}"))
    assert (p.line, p.message, p.hint) == (4, "CLUB did not exist on 2024-12-31",
                                           "Club of the West, fixture existed 1949-08-24–2024-12-31")


def test_focus_states_are_checked(mini):
    p = one(mini, "name: t\nfocus: [EEE, CCC]\nedits:\n  - {action: join, state: EEE, institution: BANK}\n")
    assert (p.line, p.column, p.message) == (2, "focus[1]", "CCC did not exist on 2024-12-31")


def test_year_outside_the_data(mini):
    with pytest.raises(DataError) as exc:
        apply_scenario(mini, Scenario("s", [Join("EEE", "BANK")]), 1800)
    assert exc.value.problems[0].message == "year outside the data"


def test_every_problem_at_once_in_file_order(mini):
    ps = problems(mini, edits("  - {action: join, state: UKR, institution: BANK}",
                              "  - action: leave",
                              "    state: DDD",
                              "    institution: CLUB",
                              "    colour: red",
                              "  - {action: dissolve, institution: G7}"))
    assert [(q.line, q.message) for q in ps] == [
        (3, "unknown state"), (5, "DDD is not in CLUB on 2024-12-31, so it cannot leave"),
        (7, "unknown key for action leave"), (8, "unknown institution")]
    assert str(DataError(ps)).startswith("4 problems found:\n  s.yaml:3 [edit 1: states[0]]: unknown state (found 'UKR')")


def test_python_api_errors_name_the_edit(mini):
    with pytest.raises(DataError) as exc:
        apply_scenario(mini, Scenario("s", [Leave("DDD", "CLUB"), ChangeStatus("EEE", "CLUB", "member"),
                                            Create("N", ["AAA"]), Dissolve("BANKK")]), 2024)
    ps = exc.value.problems
    assert [(q.line, q.column) for q in ps] == [(None, "edit 1: states[0]"), (None, "edit 2: states[0]"),
                                                (None, "edit 3: institution"), (None, "edit 4: institution")]
    assert ps[2].message == "malformed institution id"       # a one-letter id


def test_more_file_problems(mini, tmp_path):
    p = one(mini, edits("  - action: join", "    states: [[EEE]]", "    institution: BANK"))
    assert (p.line, p.message) == (4, "expected a state code, not a list")
    p = one(mini, "name: t\n? [a, b]\n: 1\nedits:\n  - {action: join, state: EEE, institution: BANK}\n")
    assert (p.line, p.message) == (2, "expected a plain key")
    p = one(mini, edits("  - {action: join, state: EEE, institution: BANK, date: 2000, until: 2020-02-30}"))
    assert (p.column, p.message) == ("edit 1: until", "malformed date: 2020-02 has no day 30")
    with pytest.raises(DataError) as exc:
        parse_scenario("name: t\x07\n", "s.yaml")
    assert exc.value.problems[0].message.startswith("not valid YAML:")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("name: Tórshavn\n".encode("latin-1"))
    with pytest.raises(DataError) as exc:
        load_scenario(bad)
    assert exc.value.problems[0].message.startswith("cannot read the scenario file:")


def test_an_edit_without_an_action(mini):
    from analysis.scenario import Edit

    with pytest.raises(DataError) as exc:
        apply_scenario(mini, Scenario("s", [Edit()]), 2024)
    assert exc.value.problems[0].message == "unknown action"
