"""What the shipped practices say and how long their steps are, against the published
protocols in ../shared/CONTENT.md ("Second pass"): cautions on every practice that has a
known one, releases of 30 s or more, eyes open for grounding, alternatives to the throat,
cues that speak of the breath rather than the circle, and cues short enough to be spoken
in their step. Also the practice-file fields behind them: caution, direction, effect, use.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from companion import i18n
from companion.core.exercise_model import DIRECTIONS, EFFECTS, USES
from companion.core.exercises import (
    BreathingStep,
    Exercise,
    GuidedStep,
    Library,
    SelfPacedStep,
    Step,
    fit,
    load_library,
    read_exercise,
    shipped_dir,
)
from companion.i18n_extract import extract_toml

CALM_WPM = 120
"""The pace a cue is spoken at (the voice renders at a calm, slow pace)."""
BRISK_WPM = 150
"""The fastest calm speech: no shipped cue may need more than its step even at this pace."""

NEW_PRACTICES = {
    # id: (kind, least minutes, most minutes, direction, effect, use)
    "orienting": ("grounding", 1, 2, "outward", "either", ""),
    "self-compassion-break": ("compassion", 2, 3, "inward", "settling", ""),
    "leave-it-at-the-door": ("grounding", 1, 1.1, "outward", "either", "end-of-day"),
    "listening-anchor": ("grounding", 2, 3, "outward", "either", ""),
    "short-walk": ("movement", 2, 10, "outward", "energising", ""),
    "decompression": ("grounding", 15, 20, "outward", "either", "decompression"),
    "empathy-to-compassion": ("compassion", 2, 2, "inward", "settling", ""),
}
GROUNDING_EYES_OPEN = ("grounding-5-4-3-2-1", "feet-on-the-floor", "orienting")
"""Najavits (Seeking Safety, 2002) and orienting keep the eyes open throughout."""

MINE = """\
id = "my-pause"
title = "My pause"
kind = "{kind}"
minutes = 1
{extra}
[[steps]]
type = "guided"
seconds = 60
cue = "Feet on the floor, eyes open or closed."
"""


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def words(text: str) -> int:
    return len(text.split())


def cues(exercise: Exercise) -> list[str]:
    return [step.cue for step in exercise.steps if step.cue]


def is_tense(step: Step) -> bool:
    """A PMR tension step: a short guided step (Bernstein & Borkovec: 5-7 s)."""
    return isinstance(step, GuidedStep) and step.seconds <= 10


def holds_breath(exercise: Exercise) -> bool:
    return any(b.pattern.hold_in or b.pattern.hold_out for b in exercise.breathing_steps)


def slow_breathing(exercise: Exercise) -> bool:
    """Slow deep breathing without holds: resonance pace, a long out-breath or sighing."""
    return any(
        not (b.pattern.hold_in or b.pattern.hold_out)
        and (b.pattern.breaths_per_minute <= 7 or b.pattern.top_up)
        for b in exercise.breathing_steps
    )


def mine(tmp_path: Path, kind: str = "grounding", extra: str = "") -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(MINE.format(kind=kind, extra=extra), encoding="utf-8")
    return path


# --- the new practices ------------------------------------------------------------------------


@pytest.mark.parametrize("practice_id", sorted(NEW_PRACTICES))
def test_each_new_practice_is_there_with_its_kind_length_and_direction(
    library: Library, practice_id: str
) -> None:
    kind, least, most, direction, effect, use = NEW_PRACTICES[practice_id]
    practice = library[practice_id]
    assert practice.kind == kind
    assert least <= practice.minutes <= most
    assert least * 60 * 0.9 <= practice.total_seconds <= most * 60 * 1.1
    assert (practice.direction, practice.effect, practice.use) == (direction, effect, use)
    assert re.search(r"\b(19|20)\d\d\b", practice.source), "cited with a year"


def test_the_new_practices_follow_their_sources(library: Library) -> None:
    orienting = library["orienting"]
    assert "Levine" in orienting.source and "6:93" in orienting.source
    assert "eyes open" in orienting.steps[0].cue.lower()

    kind = library["self-compassion-break"]
    assert "Neff & Germer 2013" in kind.source and "69:28" in kind.source
    assert "Dreisoerner et al. 2021" in kind.source and "8:100091" in kind.source
    touch = next(c for c in cues(kind) if "chest" in c)
    assert "arm" in touch and "hands together" in touch, "alternatives to the chest"

    door = library["leave-it-at-the-door"]
    assert "Going Home" in door.source and "2020" in door.source
    assert any("no details" in c.lower() for c in cues(door))

    listening = library["listening-anchor"]
    assert "Treleaven 2018" in listening.source
    assert any("near" in c and "far" in c for c in cues(listening))

    walk = library["short-walk"]
    assert "Albulescu et al. 2022" in walk.source and "e0272460" in walk.source
    assert any(isinstance(s, SelfPacedStep) for s in walk.steps), "at the person's own pace"

    decompression = library["decompression"]
    assert "Lehrer" in decompression.source and "15-20 minutes" in decompression.source
    kinds = [type(s) for s in decompression.steps]
    # orient (eyes open), move, a long out-breath, set down: in that order
    assert "eyes open" in decompression.steps[0].cue.lower()
    assert kinds.index(SelfPacedStep) < kinds.index(BreathingStep)
    for breath in decompression.breathing_steps:
        assert breath.pattern.exhale > breath.pattern.inhale
    assert any("down" in c for c in cues(decompression)[-3:])

    empathy = library["empathy-to-compassion"]
    assert "Klimecki & Singer 2012" in empathy.source


def test_a_decompression_fits_a_fifteen_minute_gap_and_ends_in_it(library: Library) -> None:
    decompression = library["decompression"]
    fitted = fit(decompression, 15 * 60)
    assert fitted is not None and fitted.total_seconds <= 15 * 60
    assert [type(s) for s in fitted.steps] == [type(s) for s in decompression.steps]


# --- cautions --------------------------------------------------------------------------------


def test_breath_holds_carry_their_caution(library: Library) -> None:
    held = [e for e in library if holds_breath(e)]
    assert {"box-5", "breathing-4-7-8"} <= {e.id for e in held}
    for exercise in held:
        caution = exercise.caution.lower()
        assert "pregnant" in caution, exercise.id
        assert "heart or lung" in caution, exercise.id
        assert "panick" in caution, exercise.id
    assert "faster" in library["breathing-4-7-8"].caution  # 4-7-8 is a ratio


def test_slow_breathing_says_what_to_do_when_lightheaded(library: Library) -> None:
    slow = [e for e in library if slow_breathing(e)]
    assert {
        "coherent-10",
        "coherent-5",
        "cyclic-sighing-5",
        "cyclic-sighing-short",
        "extended-exhale-5",
        "extended-exhale-3",
        "decompression",
    } <= {e.id for e in slow}
    for exercise in slow:
        assert "lightheaded or tingly" in exercise.caution, exercise.id
        assert "ordinary breathing" in exercise.caution, exercise.id


def test_muscle_relaxation_carries_its_caution(library: Library) -> None:
    for exercise in (e for e in library if e.kind == "pmr"):
        caution = exercise.caution
        for needed in ("70 %", "never to pain", "keep breathing", "belly", "blood pressure"):
            assert needed in caution, (exercise.id, needed)


def test_a_body_scan_says_any_area_can_be_skipped_before_it_starts(library: Library) -> None:
    for exercise in (e for e in library if e.kind == "body-scan"):
        assert "skipped" in exercise.caution and "hands or feet" in exercise.caution


def test_cautions_are_short(library: Library) -> None:
    for exercise in library:
        assert len(exercise.caution) <= 180, exercise.id  # one or two short lines
        assert exercise.caution == exercise.caution.strip()


# --- timings ---------------------------------------------------------------------------------


def test_every_pmr_release_lasts_30_to_40_seconds(library: Library) -> None:
    pmr = [e for e in library if e.kind == "pmr"]
    assert len(pmr) >= 2
    for exercise in pmr:
        steps = exercise.steps
        tenses = [i for i, step in enumerate(steps) if is_tense(step)]
        assert len(tenses) >= 8, exercise.id
        for i in tenses:
            assert 5 <= steps[i].seconds <= 7, (exercise.id, i + 1)
            release = steps[i + 1]
            assert isinstance(release, GuidedStep) and not is_tense(release)
            assert 30 <= release.seconds <= 40, (exercise.id, i + 2, release.cue)
        # declared minutes stay honest: what the steps add up to, within the loader's 10 %
        assert abs(exercise.total_seconds - exercise.minutes * 60) <= 0.1 * exercise.minutes * 60


def test_the_pmr_family_still_falls_back_to_its_short_version(library: Library) -> None:
    seven = library["pmr-7"]
    assert [e.id for e in seven.shorter] == ["pmr-4"]
    assert fit(seven, seven.total_seconds) == seven
    assert fit(seven, seven.total_seconds - 1) == library["pmr-4"]
    assert fit(seven, library["pmr-4"].total_seconds - 1) is None  # never cut mid-way


def test_the_cited_breathing_timings(library: Library) -> None:
    for ex_id in ("coherent-5", "coherent-10"):
        source = library[ex_id].source
        assert "Lehrer, Vaschillo & Vaschillo 2000" in source and "25:177" in source
    for ex_id in ("extended-exhale-3", "extended-exhale-5"):
        exercise = library[ex_id]
        (pattern,) = {b.pattern for b in exercise.breathing_steps}
        assert (pattern.inhale, pattern.exhale) == (4, 6)
        assert pattern.breaths_per_minute == 6  # the rate Van Diest et al. tested
        # 4/6 is not the tested ratio (0.42, about 3 s in and 7 s out): the source says so
        assert "adaptation of Van Diest et al. 2014" in exercise.source
        assert "0.42" in exercise.source
    stretch = library["stretch"].source
    assert "Albulescu et al. 2022" in stretch and "e0272460" in stretch
    for ex_id in GROUNDING_EYES_OPEN[:2]:
        assert "Najavits 2002" in library[ex_id].source


# --- what the cues say -----------------------------------------------------------------------


def test_grounding_keeps_the_eyes_open(library: Library) -> None:
    closed = re.compile(r"\b(close|closed|closing)\b", re.IGNORECASE)
    for exercise in library:
        if exercise.family in GROUNDING_EYES_OPEN:
            assert not any(closed.search(c) for c in cues(exercise)), exercise.id
            assert "eyes open" in exercise.steps[0].cue.lower(), exercise.id
        elif exercise.kind == "grounding":
            for cue in cues(exercise):
                if closed.search(cue):
                    assert "eyes open" in cue.lower(), (exercise.id, cue)


def test_feet_on_the_floor_does_not_assume_a_session_just_ended(library: Library) -> None:
    for exercise in (library["feet-on-the-floor"], library["feet-on-the-floor-short"]):
        text = " ".join(cues(exercise))
        assert "That session is over" not in text
        assert "Whatever came before, you are here, now." in text


def test_the_throat_and_chest_come_with_an_alternative(library: Library) -> None:
    # Common triggers (CONTENT.md): wherever a scan or PMR names them, it offers another way.
    alternative = re.compile(r"\b(or|instead|return to|come back to)\b", re.IGNORECASE)
    for exercise in library:
        if exercise.kind not in ("body-scan", "pmr"):
            continue
        for cue in cues(exercise):
            if re.search(r"\b(throat|chest)\b", cue, re.IGNORECASE):
                assert alternative.search(cue), (exercise.id, cue)
        # the first time a PMR asks to tense the neck, it says the neck can be left out
        neck = next((s.cue for s in exercise.steps if is_tense(s) and "neck" in s.cue), "")
        assert not neck or re.search(r"\b(skip|if you like|or)\b", neck), (exercise.id, neck)
    throat = [c for c in cues(library["body-scan-10"]) if "throat" in c]
    assert throat and all("hands" in c for c in throat)
    throat = [c for c in cues(library["pmr-7"]) if "throat" in c]
    assert throat and all("hands" in c for c in throat)


def test_cues_speak_of_the_breath_not_the_circle(library: Library) -> None:
    # The pacer is a growing circle, and a still one under reduced motion.
    for exercise in library:
        for cue in cues(exercise):
            assert "circle" not in cue.lower(), (exercise.id, cue)
            assert "round the box" not in cue.lower(), (exercise.id, cue)
    (box,) = {b.cue for b in library["box-5"].breathing_steps}
    assert "in, hold, out, hold" in box.lower() and "four" in box


@pytest.mark.parametrize("wpm", [BRISK_WPM, CALM_WPM])
def test_every_cue_can_be_spoken_within_its_step(library: Library, wpm: int) -> None:
    # At 120 words a minute a cue also leaves a second of quiet before its step ends.
    quiet = 1.0 if wpm == CALM_WPM else 0.0
    for exercise in library:
        for number, step in enumerate(exercise.steps, start=1):
            if not step.cue:
                continue
            spoken = words(step.cue) * 60 / wpm
            # a breathing step's cue is said over the breath: it ends within the first one
            room = step.pattern.cycle_seconds if isinstance(step, BreathingStep) else step.seconds
            assert spoken + quiet <= room, (exercise.id, number, wpm, step.cue)


# --- the file format: caution, direction, effect, use ------------------------------------------


def test_every_shipped_practice_says_where_it_turns_and_what_it_does(library: Library) -> None:
    for path in sorted(shipped_dir().glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        assert re.search(r"^direction = ", text, re.MULTILINE), path.name
        assert re.search(r"^effect = ", text, re.MULTILINE), path.name
    for exercise in library:
        assert exercise.direction in DIRECTIONS and exercise.effect in EFFECTS
        assert exercise.use in USES
    outward = {e.id for e in library if e.direction == "outward"}
    assert {"grounding-5-4-3-2-1", "feet-on-the-floor", "stretch", "orienting"} <= outward
    assert {e.kind for e in library if e.direction == "outward"} <= {"grounding", "movement"}
    assert {"energising", "either"} <= {e.effect for e in library}


def test_a_file_reads_caution_direction_effect_and_use(tmp_path: Path) -> None:
    extra = (
        'caution = "Go gently."\ndirection = "inward"\neffect = "energising"\nuse = "end-of-day"\n'
    )
    exercise, problems = read_exercise(mine(tmp_path, extra=extra))
    assert problems == []
    assert exercise is not None
    assert exercise.caution == "Go gently."
    assert (exercise.direction, exercise.effect, exercise.use) == (
        "inward",
        "energising",
        "end-of-day",
    )


@pytest.mark.parametrize(
    ("kind", "direction", "effect"),
    [
        ("grounding", "outward", "either"),
        ("movement", "outward", "energising"),
        ("breathing", "inward", "settling"),
        ("body-scan", "inward", "settling"),
        ("compassion", "inward", "settling"),
    ],
)
def test_a_file_without_them_still_loads_with_defaults_from_its_kind(
    tmp_path: Path, kind: str, direction: str, effect: str
) -> None:
    exercise, problems = read_exercise(mine(tmp_path, kind=kind))
    assert problems == []
    assert exercise is not None
    assert (exercise.caution, exercise.use) == ("", "")
    assert (exercise.direction, exercise.effect) == (direction, effect)


def test_bad_values_are_one_line_each(tmp_path: Path) -> None:
    extra = 'caution = 3\ndirection = "sideways"\neffect = "calming"\nuse = "lunch"\n'
    path = mine(tmp_path, extra=extra)
    exercise, problems = read_exercise(path)
    assert exercise is None
    assert problems == [
        f"{path}: caution: 3 is not text; put it in quotes",
        f"{path}: direction: 'sideways' is not a direction; use one of outward, inward",
        f"{path}: effect: 'calming' is not an effect; use one of settling, energising, either",
        f"{path}: use: 'lunch' is not a use; use one of end-of-day, decompression, "
        "or leave it out for any break",
    ]


def test_an_overlong_caution_is_refused(tmp_path: Path) -> None:
    path = mine(tmp_path, extra=f'caution = "{"x" * 401}"\n')
    assert read_exercise(path)[1] == [f"{path}: caution: is 401 characters long; keep it under 400"]


@pytest.mark.usefixtures("pseudo_locale")
def test_a_shipped_caution_is_translated_and_yours_stays_as_written(tmp_path: Path) -> None:
    user = tmp_path / "practices"
    user.mkdir()
    mine(user, extra='caution = "Go gently."\n')
    library = load_library(user)
    assert library["box-5"].caution == i18n.pseudo(load_english_caution("box-5"))
    assert library["my-pause"].caution == "Go gently."


def load_english_caution(practice_id: str) -> str:
    exercise, _ = read_exercise(shipped_dir() / f"{practice_id}.toml")
    assert exercise is not None
    return exercise.caution


def test_make_pot_finds_the_caution() -> None:
    path = shipped_dir() / "pmr-7.toml"
    found = list(extract_toml(io.BytesIO(path.read_bytes()), {}, (), {}))
    caution = load_english_caution("pmr-7")
    (message,) = [m for m in found if m[2] == caution]
    line, _context, _text, comments = message
    assert comments == ["practice pmr-7: caution"]
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].startswith("caution = ")
