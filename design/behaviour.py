"""The typed behaviour model of a criterion, and the test configurations planned over it.

Criterion analysis (`reading.py`) fills a `Behaviour`; each test-design technique
(`techniques.py`, `boundaries.py`) turns one into `Configuration`s: which value every
condition takes, and the outcome the criterion promises for that combination. Rendering
(`rendering.py`) makes each configuration a case a tester can run. Every text here is a span
of the criterion, or that span with a value put in or its polarity flipped, so nothing is
invented on the way.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from casewright.design.cause_effect import Cause, Event, Junction, joined, leaves
from casewright.models import CaseKind

Comparison = Literal["at_least", "more_than", "at_most", "less_than", "exactly", "between"]
Connective = Literal["if", "when", "while", "only if", "unless", "once", "first time",
                     "subsequently", "before", "after", "within", "given"]
Technique = Literal["decision table", "boundary values", "timings", "equivalence classes",
                    "roles", "states"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Quantity(_Model):
    """A number the criterion states, with its unit and how values compare to it."""

    text: str = Field(description="The span as written, such as '£250 or more'.")
    value: float
    upper: float | None = Field(default=None, description="Upper end of a 'between' range.")
    unit: str = Field(description="Unit as written after or before the number: '£', 'months'.")
    comparison: Comparison
    step: float = Field(description="The smallest change of the unit: 0.01 for money, else 1.")


class Condition(_Model):
    """One condition of a criterion: a clause that must hold for its effect."""

    text: str = Field(description="The clause as written, without its connective.")
    connective: Connective
    quantity: Quantity | None = None


class Effect(_Model):
    """An observable outcome: what the tester checks."""

    text: str = Field(description="The clause as written.")
    always: bool = Field(default=False, description="Whether it holds whatever the "
                         "conditions ('can still be sent'): never negated.")
    derived: bool = Field(default=False, description="Whether the engine worded it from the "
                          "action ('The petitions are shown'): the criterion states no "
                          "outcome to negate.")


class Ambiguity(_Model):
    """An untestable word, and the question to put to the product owner."""

    word: str
    question: str


class Behaviour(_Model):
    """What a criterion says, in parts a test design can vary."""

    criterion_id: str
    actor: str | None = Field(default=None, description="Who acts, as written.")
    actions: list[str] = Field(default_factory=list, description="What the actor does, "
                               "imperative, one action each.")
    preconditions: list[str] = Field(default_factory=list, description="Given clauses: "
                                     "always true, never varied.")
    alternatives: list[str] = Field(default_factory=list, description="Actions any one of "
                                    "which brings the effects ('authorised or declined').")
    conditions: list[Condition] = Field(default_factory=list)
    combination: Literal["and", "or"] = "and"
    cause: Cause | None = Field(default=None, description="How the conditions combine when "
                                "the sentence groups them ('A and B, or C'); None: all "
                                "joined by `combination`.")
    exclusive: bool = Field(default=False, description="Whether the effect holds only under "
                            "the conditions ('only if', 'only when', 'unless').")
    effects: list[Effect] = Field(default_factory=list)
    otherwise: list[Effect] = Field(default_factory=list, description="Outcomes the criterion "
                                    "states for when its conditions do not hold.")
    limits: list[Quantity] = Field(default_factory=list, description="Quantities of the "
                                   "actor's input ('a plan length from 3 to 24 months').")
    formats: list[str] = Field(default_factory=list, description="Data formats the criterion "
                               "validates, by name: 'email address', '16 digits'.")
    prohibited: bool = Field(default=False, description="Whether the effects as stated are a "
                             "refusal ('agents cannot close a case').")
    allowed_roles: list[str] = Field(default_factory=list, description="The only roles "
                                     "allowed to act ('only a team leader').")
    refused_roles: list[str] = Field(default_factory=list, description="Roles named as not "
                                     "allowed ('agents cannot ...').")
    repeat: str | None = Field(default=None, description="The wording of a once / first time "
                               "/ second time rule, when the criterion has one.")
    untriggered: bool = Field(default=False, description="Whether it says what a person "
                              "receives but not what sends it ('Suzie receives an email').")
    ambiguities: list[Ambiguity] = Field(default_factory=list)
    unparsed: str | None = Field(default=None, description="Why the analysis could not find "
                                 "a testable outcome, when it could not.")

    def causes(self) -> Cause:
        """Return the conditions' cause-effect tree: as the sentence groups them, or flat.

        A condition a later reading added outside the tree must hold as well: it joins the
        tree by and. A tree that names a condition no longer there gives way to the flat one.
        """
        named = set(leaves(self.cause)) if self.cause is not None else set()
        if self.cause is None or not named <= set(range(len(self.conditions))):
            return joined(len(self.conditions), self.combination)
        added = [Cause(node=Event(condition=i)) for i in range(len(self.conditions))
                 if i not in named]
        return Cause(node=Junction(junctor="and", causes=[self.cause, *added])) if added \
            else self.cause


class Setting(_Model):
    """One thing a case's preconditions set up, in plain words."""

    text: str
    value: str = Field(default="", description="The test data the setting uses, if any.")


class Configuration(_Model):
    """One combination to test: the settings, what the tester does, and the outcome."""

    criterion_id: str
    technique: Technique
    kind: CaseKind
    label: str = Field(description="What sets this configuration apart, for the case title.")
    settings: list[Setting] = Field(default_factory=list)
    actor: str | None = None
    preconditions: list[str] = Field(default_factory=list, description="The criterion's "
                                     "fixed set-up (Given clauses).")
    actions: list[str] = Field(default_factory=list, description="What the tester does.")
    data: str = Field(default="", description="Test data for the action.")
    outcome: list[str] = Field(description="The expected results of this configuration.")

    def key(self) -> tuple[str, ...]:
        """Return what makes two configurations the same test: settings, data and outcome."""
        return (*(s.text for s in self.settings), self.actor or "", self.data, *self.actions,
                *self.outcome)
