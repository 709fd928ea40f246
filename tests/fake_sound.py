"""A stand-in for `companion.runtime.sound.Sound` that records what would be heard.

The contract the player and the app rely on (the real Sound keeps to it):

- `play(event)`: a chime or tone, never waits. Events: "start" and "end" (a practice),
  "step" (a soft chime for a guided step with no spoken cue), and the breath tones
  "inhale", "exhale", "hold" (played only when `ticks`, i.e. breath tones, are on).
- `cue(text, *, user=False)`: the spoken form of a cue at the start of its step: the
  shipped practice's rendered voice, the system's voice for a person's own practice
  (`user=True`), or, when there is no voice for it, the soft "step" chime. It stops any
  speech still playing first.
- `hush()`: stop speech now (a step boundary, pause, Stop, closing the window).
- `guidance` is "voice", "tones" or "silent" (`set_guidance`); `level` is the volume.
- `problem()`: one line saying why nothing can be heard (no audio player, with the
  package to install), or "" when sound works; `voice_available()`: whether shipped
  practices would be spoken.

`played` holds everything in order: events by name, cues as "cue:<text>", "hush" and
"stop" (`stop()`: the voice and any tone).
With `guidance` "tones" a cue is heard as "step"; with "silent" nothing is recorded.
"""

from __future__ import annotations


class FakeSound:
    def __init__(
        self, *, player: bool = True, level: str = "normal", guidance: str = "voice"
    ) -> None:
        self.player = player
        self.level = level
        self.guidance = guidance
        self.ticks_on = True
        self.played: list[str] = []
        self.levels: list[str] = []
        self.ticks: list[bool] = []
        self.guidances: list[str] = []

    # -- what the real Sound offers -----------------------------------------------------

    def available(self) -> bool:
        return self.player

    def problem(self) -> str:
        from companion.runtime.sound import no_player_line

        return "" if self.player else no_player_line()

    def voice_available(self) -> bool:
        return self.player

    def play(self, event: str) -> None:
        if self.guidance == "silent" or self.level == "mute":
            return
        if event in ("inhale", "exhale", "hold", "tick") and not self.ticks_on:
            return
        self.played.append(event)

    def cue(self, text: str, *, user: bool = False) -> None:
        if self.guidance == "silent" or self.level == "mute":
            return
        if self.guidance == "tones" or not text:
            self.played.append("step")
            return
        self.played.append(f"cue:{text}")

    def hush(self) -> None:
        self.played.append("hush")

    def stop(self) -> None:
        """Everything stops: the voice and a breath tone or chime still sounding."""
        self.played.append("stop")

    def set_level(self, level: str) -> None:
        self.levels.append(level)
        self.level = level

    def set_ticks(self, enabled: bool) -> None:
        self.ticks.append(enabled)
        self.ticks_on = enabled

    def set_guidance(self, guidance: str) -> None:
        self.guidances.append(guidance)
        self.guidance = guidance

    def flush(self, timeout: float | None = None) -> bool:
        return True

    def close(self, timeout: float = 1.0) -> None:
        pass

    # -- for tests ----------------------------------------------------------------------

    def heard(self) -> list[str]:
        """What was played, without the hushes and stops."""
        return [p for p in self.played if p not in ("hush", "stop")]
