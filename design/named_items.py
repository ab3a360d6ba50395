"""Criteria that only name one of the links, tabs or menu items their story is about.

A story titled "Footer links" or "Account menu" often lists what it must offer as bare
names ("Privacy policy", "Contact us - <footer_link>"): each criterion names an item, not a
behaviour. Read with its story, it says that following the item opens what it names.
"""

from __future__ import annotations

import re

from casewright.design.behaviour import Behaviour, Effect
from casewright.design.language import FINITE, parse
from casewright.models import Story

_ITEMS = re.compile(r"\b(?:(?P<link>links?|navigation)|(?P<tab>tabs?)|(?P<menu>menus?))\b",
                    re.IGNORECASE)
"""What a story's summary says its criteria name: links, tabs or the items of a menu."""
_WHERE = re.compile(r"\s*(?:-|–|:)\s*<[^>]+>\s*$|\s*<[^>]+>\s*$")
"""A scenario outline's placeholder for where the item is ("Cookies policy - <header_link>")."""
MAX_NAME_WORDS = 6


def named_items(story: Story) -> dict[str, Behaviour]:
    """Return the behaviour of following each item the story's criteria name, by criterion id.

    Only where the story's summary says its criteria are links, tabs or menu items and at
    least half of them, and two or more, are bare names: a list of items, not one verbless
    line among sentences ("Link expiry after 7 days" in "Share links").
    """
    kind = _ITEMS.search(story.summary)
    if kind is None:
        return {}
    item = "link" if kind["link"] else "tab" if kind["tab"] else "menu item"
    names = {c.criterion_id: name for c in story.criteria
             if not c.is_gherkin and (name := _bare_name(c.text))}
    if len(names) < 2 or len(names) * 2 < len(story.criteria):
        return {}
    return {cid: Behaviour(criterion_id=cid, actions=[f"Select the '{name}' {item}"],
                           effects=[Effect(text=f"The {_shown(name)} is shown")])
            for cid, name in names.items()}


def _bare_name(text: str) -> str | None:
    """Return a criterion's text as an item's name, where it is one.

    Short, no digit, no verb after its first word and no finite one: "Contact us" is a
    name as much as "Privacy policy".
    """
    name = _WHERE.sub("", text).strip(" .")
    if not name or len(name.split()) > MAX_NAME_WORDS or re.search(r"\d", name) or any(
            t.tag_ in FINITE or t.pos_ in {"VERB", "AUX"} and t.i > 0 for t in parse(name)):
        return None
    return name


def _shown(name: str) -> str:
    """Return what following an item shows: its page ("Admin page" is one already)."""
    return name if name.lower().endswith("page") else f"{name} page"
