"""The practice library: shipped files, validation, user overrides, and fitting a practice
into the minutes a break has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from companion.core.exercises import (
    MIN_CYCLES,
    MIN_SELF_PACED_SECONDS,
    BreathingStep,
    BreathPattern,
    Exercise,
    GuidedStep,
    Library,
    SelfPacedStep,
    check_file,
    choose_for_window,
    fit,
    load_library,
    read_exercise,
    shipped_dir,
)

SHIPPED = sorted(shipped_dir().glob("*.toml"))
WINDOWS_MIN = (2, 3, 5, 8, 12)
LINE_SHAPE = re.compile(r"^(?P<file>[^:]+): (?P<field>[^:]+): (?P<what>.+)$")

GOOD = """\
id = "my-pause"
title = "My pause"
kind = "breathing"
minutes = 2
about = "A short pause of my own."

[[steps]]
type = "guided"
seconds = 20
cue = "Settle in, eyes open or closed."

[[steps]]
type = "breathing"
inhale = 4
exhale = 6
seconds = 100
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


# --- the shipped library --------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_file_validates(path: Path) -> None:
    assert check_file(path) == []


def test_shipped_library_loads_without_problems(library: Library) -> None:
    assert library.problems == []
    assert len(library) == len(SHIPPED) >= 16


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_real_duration_is_within_ten_percent_of_declared_minutes(path: Path) -> None:
    exercise, _ = read_exercise(path)
    assert exercise is not None
    declared = exercise.minutes * 60
    assert abs(exercise.total_seconds - declared) <= 0.10 * declared
    assert exercise.source, "a shipped practice names its published protocol"
    assert exercise.about


def _pattern(ex: Exercise) -> BreathPattern:
    (first, *rest) = ex.breathing_steps
    assert all(s.pattern == first.pattern for s in rest)
    return first.pattern


def test_the_library_has_the_practices_the_issue_asks_for(library: Library) -> None:
    def minutes(ex_id: str) -> float:
        return library[ex_id].total_seconds / 60

    sigh = BreathPattern(inhale=2, top_up=1, exhale=6)
    assert _pattern(library["cyclic-sighing-5"]) == sigh
    assert _pattern(library["cyclic-sighing-short"]) == sigh
    assert minutes("cyclic-sighing-5") == 5
    assert 2 <= minutes("cyclic-sighing-short") <= 3
    assert _pattern(library["box-5"]) == BreathPattern(4, 4, hold_in=4, hold_out=4)
    assert minutes("box-5") == 5
    for ex_id, length in (("coherent-5", 5), ("coherent-10", 10)):
        assert _pattern(library[ex_id]) == BreathPattern(5.5, 5.5)
        assert minutes(ex_id) == length
    for ex_id, length in (("extended-exhale-3", 3), ("extended-exhale-5", 5)):
        assert _pattern(library[ex_id]) == BreathPattern(4, 6)
        assert minutes(ex_id) == length
    four_seven_eight = library["breathing-4-7-8"]
    assert _pattern(four_seven_eight) == BreathPattern(4, 8, hold_in=7)
    assert sum(s.cycles for s in four_seven_eight.breathing_steps) == 4
    assert minutes("body-scan-5") == 5
    assert minutes("body-scan-10") == 10
    # 4 groups twice at 7 s + 30 s is 296 s before the welcome and the close: 5.5 minutes
    assert library["pmr-4"].minutes == 5.5
    assert 5 < minutes("pmr-4") <= 5.5
    assert 8 <= minutes("pmr-7") <= 10
    grounding = library["grounding-5-4-3-2-1"]
    assert sum(isinstance(s, SelfPacedStep) for s in grounding.steps) == 5
    assert grounding.total_seconds <= 5 * 60
    assert 1 <= minutes("feet-on-the-floor-short") < minutes("feet-on-the-floor") <= 2
    assert 2 <= minutes("stretch") <= 3
    kinds = {e.kind for e in library}
    assert kinds == {"breathing", "body-scan", "pmr", "grounding", "movement", "compassion"}


def test_pmr_tenses_briefly_and_releases_for_longer(library: Library) -> None:
    for ex_id in ("pmr-4", "pmr-7"):
        tense_release = library[ex_id].steps[1:-1]
        tenses = tense_release[0::2]
        releases = tense_release[1::2]
        assert all(5 <= s.seconds <= 7 for s in tenses)
        assert all(30 <= s.seconds <= 40 for s in releases)  # Bernstein & Borkovec 1973
    assert len(library["pmr-4"].steps[1:-1]) == 4 * 2 * 2
    assert len(library["pmr-7"].steps[1:-1]) == 7 * 2 * 2


def test_every_practice_offers_choice_and_never_commands(library: Library) -> None:
    choice = re.compile(
        r"eyes open|eyes closed|your choice|as you like|whichever|skip|stop|"
        r"if you like|if it feels right|whenever you're ready",
        re.IGNORECASE,
    )
    for exercise in library:
        cues = [step.cue for step in exercise.steps]
        assert any(choice.search(cue) for cue in cues[:2]), exercise.id
        for cue in cues:
            assert not re.search(r"\b(must|should|have to)\b", cue, re.IGNORECASE), cue
            assert len(cue) <= 160, f"{exercise.id}: a cue is read in a glance: {cue!r}"


def test_scans_and_pmr_offer_to_skip_an_area(library: Library) -> None:
    for exercise in library:
        if exercise.kind in ("body-scan", "pmr"):
            assert any("skip" in step.cue.lower() for step in exercise.steps), exercise.id


def test_library_order_is_stable_and_families_are_linked(library: Library) -> None:
    again = load_library()
    assert [e.id for e in library] == [e.id for e in again]
    assert library["body-scan-5"].family == "body-scan-10"
    assert [e.id for e in library["body-scan-10"].shorter] == ["body-scan-5"]
    assert library.get("no-such-practice") is None
    assert "pmr-7" in library


def test_the_readme_example_is_a_valid_practice(tmp_path: Path) -> None:
    readme = (shipped_dir() / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A whole example", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    path = write(tmp_path, "example.toml", example)
    assert check_file(path) == []


# --- checking a file ------------------------------------------------------------------------


def test_a_good_file_has_no_problems_and_duration_becomes_whole_cycles(tmp_path: Path) -> None:
    path = write(tmp_path, "mine.toml", GOOD)
    exercise, problems = read_exercise(path)
    assert problems == []
    assert exercise is not None
    step = exercise.steps[1]
    assert isinstance(step, BreathingStep)
    assert step.cycles == 10  # 100 s of 4 in / 6 out
    assert exercise.total_seconds == 120


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (('kind = "breathing"', 'kind = "yoga"'), "kind", "'yoga' is not a kind"),
        (("seconds = 20", "seconds = -5"), "steps[1].seconds", "-5 is not allowed"),
        (("seconds = 20", "seconds = 0"), "steps[1].seconds", "more than 0"),
        (("seconds = 20", "seconds = true"), "steps[1].seconds", "not a number"),
        (("seconds = 20", "seconds = nan"), "steps[1].seconds", "not a number"),
        (('title = "My pause"\n', ""), "title", "missing"),
        (('type = "guided"', 'type = "pause"'), "steps[1].type", "'pause' is not a step type"),
        (('type = "guided"\n', ""), "steps[1].type", "missing"),
        (("minutes = 2", "minutes = 5"), "minutes", "says 5 but the steps add up to 2.0"),
        (("minutes = 2", 'minutes = "two"'), "minutes", "not allowed"),
        (("about =", "abuot ="), "abuot", "unknown field"),
        (("exhale = 6", "exhale = 6\nhold_out = -2"), "steps[2].hold_out", "0 or more"),
        (("exhale = 6", "exhale = 45"), "steps[2].exhale", "too long"),
        (("seconds = 100", "seconds = 100\ncycles = 10"), "steps[2].cycles", "not both"),
        (("seconds = 100", ""), "steps[2].cycles", "missing"),
        (("seconds = 100", "seconds = 5"), "steps[2].seconds", "shorter than one breath"),
        (("seconds = 100", "cycles = 2.5"), "steps[2].cycles", "whole number"),
        (('id = "my-pause"', 'id = "My Pause!"'), "id", "lower-case"),
        (('cue = "Settle in, eyes open or closed."', "cue = 3"), "steps[1].cue", "not text"),
    ],
)
def test_check_names_the_file_the_field_and_what_is_wrong(
    tmp_path: Path, change: tuple[str, str], field: str, words: str
) -> None:
    old, new = change
    assert old in GOOD
    path = write(tmp_path, "mine.toml", GOOD.replace(old, new, 1))
    problems = check_file(path)
    assert problems, "the broken file was accepted"
    for line in problems:
        match = LINE_SHAPE.match(line.replace(str(path), "FILE"))
        assert match, line
        assert match.group("file") == "FILE"
    assert any(line.startswith(f"{path}: {field}: ") and words in line for line in problems), (
        problems
    )


def test_check_reports_toml_syntax_errors_with_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.toml", 'id = "x"\ntitle = "X"\nkind = \n')
    problems = check_file(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: line 3: not valid TOML (")


def test_check_reports_missing_and_unreadable_files(tmp_path: Path) -> None:
    assert check_file(tmp_path / "nothing.toml") == [
        f"{tmp_path / 'nothing.toml'}: file: not found"
    ]
    latin = tmp_path / "latin.toml"
    latin.write_bytes('title = "caf\xe9"\n'.encode("latin-1"))
    assert "not UTF-8" in check_file(latin)[0]


def test_no_steps_is_a_problem(tmp_path: Path) -> None:
    text = 'id = "x"\ntitle = "X"\nkind = "movement"\nminutes = 1\nsteps = []\n'
    assert check_file(write(tmp_path, "x.toml", text)) == [
        f"{tmp_path / 'x.toml'}: steps: add at least one step as a [[steps]] block"
    ]


# --- the user's folder ----------------------------------------------------------------------


def test_a_user_file_with_a_shipped_id_replaces_it_and_new_ids_are_added(tmp_path: Path) -> None:
    user = tmp_path / "practices"
    write(user, "box.toml", GOOD.replace('id = "my-pause"', 'id = "box-5"'))
    write(user, "mine.toml", GOOD)
    write(user, "notes.txt", "not a practice")
    library = load_library(user)
    assert library.problems == []
    assert library["box-5"].title == "My pause"
    assert library["box-5"].user
    assert library["my-pause"].user
    assert not library["coherent-10"].user
    assert len(library) == len(SHIPPED) + 1


def test_a_broken_user_file_is_skipped_and_described(tmp_path: Path) -> None:
    user = tmp_path / "practices"
    bad = write(user, "box.toml", GOOD.replace('id = "my-pause"', 'id = "box-5"') + "oops\n")
    write(user, "worse.toml", GOOD.replace('kind = "breathing"', 'kind = "yoga"'))
    write(user, "mine.toml", GOOD)
    library = load_library(user)
    assert library["box-5"].title == "Box breathing"  # the shipped one stays
    assert "my-pause" in library
    assert len(library.problems) == 2
    assert library.problems[0].startswith(f"{bad}: line ")
    assert "'yoga' is not a kind" in library.problems[1]
    assert all(line.endswith("(skipped)") for line in library.problems)


def test_a_missing_user_folder_is_fine(tmp_path: Path) -> None:
    library = load_library(tmp_path / "no-such-folder")
    assert library.problems == []
    assert len(library) == len(SHIPPED)


def test_two_user_files_with_one_id_keep_the_last_and_say_so(tmp_path: Path) -> None:
    user = tmp_path / "practices"
    write(user, "a.toml", GOOD)
    write(user, "b.toml", GOOD.replace('title = "My pause"', 'title = "Second"'))
    library = load_library(user)
    assert library["my-pause"].title == "Second"
    assert len(library.problems) == 1
    assert "also used by a.toml" in library.problems[0]


def test_a_short_of_naming_nothing_is_reported_and_the_practice_kept(tmp_path: Path) -> None:
    user = tmp_path / "practices"
    write(
        user,
        "mine.toml",
        GOOD.replace('kind = "breathing"', 'kind = "breathing"\nshort_of = "ghost"'),
    )
    library = load_library(user)
    assert library["my-pause"].family == "my-pause"
    assert len(library.problems) == 1
    assert "short_of: no practice has the id 'ghost'" in library.problems[0]


# --- fitting --------------------------------------------------------------------------------


@pytest.mark.parametrize("window", WINDOWS_MIN)
@pytest.mark.parametrize("heavy", [False, True])
def test_fitting_never_overruns_the_window(library: Library, window: int, heavy: bool) -> None:
    seconds = window * 60
    chosen = choose_for_window(library, seconds, prefer_long=heavy)
    assert chosen, "something always fits two minutes or more"
    for exercise in chosen:
        assert exercise.total_seconds <= seconds
        assert exercise.total_seconds >= 60
    families = [e.family for e in chosen]
    assert len(families) == len(set(families)), "one version of each practice"


@pytest.mark.parametrize("window", WINDOWS_MIN)
def test_fitting_never_cuts_a_guided_practice_mid_way(library: Library, window: int) -> None:
    for exercise in choose_for_window(library, window * 60):
        if all(isinstance(s, GuidedStep) for s in exercise.steps):
            assert not exercise.shortened
            assert exercise == library[exercise.id]


def test_fitted_breathing_keeps_its_pattern_and_whole_cycles(library: Library) -> None:
    original = library["coherent-10"]
    fitted = fit(original, 8 * 60)
    assert fitted is not None
    assert fitted.shortened
    assert fitted.id == "coherent-10"
    assert fitted.total_seconds <= 480
    assert fitted.total_seconds > 480 - 11, "uses the window to within one breath"
    assert {s.pattern for s in fitted.breathing_steps} == {BreathPattern(5.5, 5.5)}
    assert fitted.steps[0] == original.steps[0]
    assert fitted.steps[-1] == original.steps[-1]


def test_twelve_minutes_after_a_heavy_session_keeps_the_ten_minute_body_scan_as_a_choice(
    library: Library,
) -> None:
    chosen = choose_for_window(library, 12 * 60, after_heavy=True)
    assert chosen[0].direction == "outward"
    whole = {e.id: e for e in chosen}
    assert whole["body-scan-10"].total_seconds == 600  # on offer, in full
    assert "pmr-7" in whole and "coherent-10" in whole


def test_a_heavy_session_starts_outward(library: Library) -> None:
    for window in (2, 3, 5, 8, 12):
        chosen = choose_for_window(library, window * 60, after_heavy=True)
        assert chosen[0].direction == "outward", (window, chosen[0].id)


@pytest.mark.parametrize("window", [2, 3])
def test_a_short_gap_gets_a_short_breathing_practice_or_feet_on_the_floor(
    library: Library, window: int
) -> None:
    first = choose_for_window(library, window * 60)[0]
    assert first.kind == "breathing" or first.family == "feet-on-the-floor"
    assert first.total_seconds >= 0.9 * window * 60, "it uses the gap well"


def test_three_minutes_prefers_the_version_written_for_three_minutes(library: Library) -> None:
    fitted = fit(library["extended-exhale-5"], 3 * 60)
    assert fitted is not None
    assert fitted.id == "extended-exhale-3"
    assert not fitted.shortened


def test_a_body_scan_falls_back_to_its_short_version(library: Library) -> None:
    assert fit(library["body-scan-10"], 600) == library["body-scan-10"]
    assert fit(library["body-scan-10"], 7 * 60) == library["body-scan-5"]
    assert fit(library["body-scan-10"], 4 * 60) is None
    assert fit(library["pmr-7"], 8 * 60) == library["pmr-4"]


def test_self_paced_limits_shrink_but_not_below_the_floor(library: Library) -> None:
    grounding = library["grounding-5-4-3-2-1"]
    fitted = fit(grounding, 3 * 60)
    assert fitted is not None
    assert fitted.total_seconds <= 180
    limits = [s.limit_seconds for s in fitted.steps if isinstance(s, SelfPacedStep)]
    assert len(limits) == 5
    assert all(limit >= MIN_SELF_PACED_SECONDS for limit in limits)
    assert fit(grounding, 90) is None  # five senses in a minute and a half is not sensible


def test_nothing_under_a_minute_or_under_two_cycles(library: Library) -> None:
    assert fit(library["feet-on-the-floor-short"], 59) is None
    assert choose_for_window(library, 45) == []
    breath = library["breathing-4-7-8"]
    fixed = sum(s.seconds for s in breath.steps if isinstance(s, GuidedStep))
    assert fit(breath, fixed + MIN_CYCLES * 19) is not None
    assert fit(breath, fixed + MIN_CYCLES * 19 - 1) is None


def test_favourites_come_first_and_avoided_practices_last(library: Library) -> None:
    plain = choose_for_window(library, 5 * 60)
    # pmr-4 takes 5.4 minutes (its releases are 30 s), so a 6-minute window
    favoured = choose_for_window(library, 6 * 60, favourites=["stretch", "pmr-7"])
    assert [e.id for e in favoured[:2]] == ["stretch", "pmr-4"]  # pmr-7 fits as pmr-4
    avoided = choose_for_window(library, 5 * 60, avoid=[plain[0].id])
    assert avoided[-1].id == plain[0].id
    assert avoided[0].id != plain[0].id


def test_choosing_is_deterministic(library: Library) -> None:
    for heavy in (False, True):
        first = [e.id for e in choose_for_window(library, 7 * 60, prefer_long=heavy)]
        again = [e.id for e in choose_for_window(load_library(), 7 * 60, prefer_long=heavy)]
        assert first == again


def test_a_library_can_be_built_from_exercises_directly() -> None:
    long = Exercise(
        id="long",
        title="Long",
        kind="body-scan",
        minutes=4,
        steps=(GuidedStep("a", 120), GuidedStep("b", 120)),
    )
    short = Exercise(
        id="short",
        title="Short",
        kind="body-scan",
        minutes=2,
        steps=(GuidedStep("a", 120),),
        short_of="long",
    )
    library = Library([short, long])
    assert [e.id for e in library] == ["short", "long"]
    assert choose_for_window(library, 180)[0].id == "short"
    assert choose_for_window(library, 300)[0].id == "long"


def test_a_mislabelled_longer_version_is_still_offered_when_it_fits() -> None:
    short = Exercise(
        id="short", title="S", kind="movement", minutes=1, steps=(GuidedStep("a", 60),)
    )
    longer = Exercise(
        id="longer",
        title="L",
        kind="movement",
        minutes=3,
        steps=(GuidedStep("a", 180),),
        short_of="short",
    )
    library = Library([short, longer])
    assert [e.id for e in choose_for_window(library, 200)] == ["longer"]
    assert [e.id for e in choose_for_window(library, 100)] == ["short"]


def test_an_oversized_file_is_refused_without_parsing(tmp_path: Path) -> None:
    path = write(tmp_path, "huge.toml", GOOD + "# padding\n" * 40_000)
    (line,) = check_file(path)
    assert line.startswith(f"{path}: file: is ")


# --- words for people: the shipped practices speak the person's language ---------------------


@pytest.mark.usefixtures("pseudo_locale")
def test_the_shipped_practices_speak_through_gettext_and_yours_stay_as_written(
    tmp_path: Path,
) -> None:
    from companion import i18n

    user = tmp_path / "practices"
    write(
        user,
        "mine.toml",
        GOOD + '\n[[steps]]\ntype = "self-paced"\nlimit = 10\ncue = "Look around, slowly."\n',
    )
    library = load_library(user)
    assert library.problems == []  # a longer language never trips the 400-character limit
    box = library["box-5"]
    assert box.title == i18n.pseudo("Box breathing")
    assert box.about.startswith(i18n.OPEN)
    assert all(step.cue.startswith(i18n.OPEN) for step in box.steps)
    assert "Balban" in box.source and i18n.OPEN not in box.source  # a citation, not words
    grounding = library["grounding-5-4-3-2-1"]
    assert all(
        step.next_label.startswith(i18n.OPEN)
        for step in grounding.steps
        if isinstance(step, SelfPacedStep)
    )
    mine = library["my-pause"]
    assert mine.title == "My pause" and mine.about == "A short pause of my own."
    assert mine.steps[0].cue == "Settle in, eyes open or closed."
    last = mine.steps[-1]
    assert isinstance(last, SelfPacedStep) and last.cue == "Look around, slowly."
    assert last.next_label == i18n.pseudo("Next")  # the app's own word for the button


@pytest.mark.usefixtures("pseudo_locale")
def test_a_problem_line_is_marked_and_keeps_file_and_field(tmp_path: Path) -> None:
    from companion import i18n

    path = write(tmp_path, "p.toml", GOOD.replace('kind = "breathing"', 'kind = "yoga"'))
    (line,) = check_file(path)
    assert line.startswith(i18n.OPEN) and f"{path}: kind: " in line and "'yoga'" in line
