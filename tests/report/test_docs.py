from __future__ import annotations

import inspect

from vitruvius.report.docs import split_doc

from .conftest import n_plus_one_query, plural_collection_names


def test_a_doc_splits_into_its_sections() -> None:
    doc = split_doc(inspect.cleandoc(plural_collection_names.__doc__))
    assert doc.summary == "Collection paths use singular nouns."
    assert [title for title, _ in doc.sections] == ["Why is this bad?", "Example", "Use instead", "Known problems"]
    assert doc.why.startswith("Clients guess paths")
    assert doc.example == "`GET /order`"
    assert doc.use_instead == "`GET /orders`"
    assert doc.known_problems == "Uncountable nouns (`/news`) are flagged."
    assert doc.references == ""


def test_a_comment_in_a_code_example_is_not_a_heading() -> None:
    doc = split_doc(inspect.cleandoc(n_plus_one_query.__doc__))
    assert doc.use_instead.splitlines()[1] == "## one query for the orders, one for all of their items"
    assert doc.references.startswith("- [SQLAlchemy")


def test_paragraphs_before_the_first_section_are_the_intro() -> None:
    doc = split_doc("Summary.\n\nMore about it.\n\n## Why is this bad?\nBecause.")
    assert (doc.summary, doc.intro, doc.why) == ("Summary.", "More about it.", "Because.")


def test_an_empty_doc_has_no_sections() -> None:
    doc = split_doc("")
    assert (doc.summary, doc.intro, doc.sections, doc.why) == ("", "", (), "")
