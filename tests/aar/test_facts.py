"""The summary facts, word for word: they are what a facilitator starts the write-up from."""

from __future__ import annotations

from app.aar.facts import summary_facts
from tests.aar import story


def test_summary_facts_of_the_story():
    m, _ = story()
    assert summary_facts(m.scenario, m.events) == [
        "The run lasted 15 min on the exercise clock (20 min of wall time, pauses included).",
        "Participants: NATO 2, Russia 1, observers 1, white cell 1.",
        "1 of 3 scripted injects fired, and 1 ad-hoc inject.",
        "3 moves submitted (NATO 1, Russia 2): 1 accepted, 1 modified, 1 rejected, "
        "0 awaiting a ruling.",
        "2 hotline calls placed (NATO 1, Russia 1): 1 answered, 1 unanswered, 2 min of talk.",
        "The quickest hotline contact after an inject came 2.5 min after “Something happened”.",
        "The white cell cut the line 1 time, for 45 s in total.",
        "Escalation started at Tension, peaked at Crisis and ended at Tension.",
        "Objectives: 3 P, 2 S, 1 M, 0 U, 2 not rated.",
    ]
