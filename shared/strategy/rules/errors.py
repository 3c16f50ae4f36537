"""The error an invalid rule set raises, pointing at the offending part."""

from __future__ import annotations


class RuleError(ValueError):
    """An invalid rule set; ``path`` points at the offending part (e.g. ``rules[0].when``).

    Paths use dots for object keys and ``[i]`` for list items, from the top of the rule
    set; ``$`` is the rule set itself.
    """

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
