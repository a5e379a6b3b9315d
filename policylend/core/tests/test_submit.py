"""``submit``: one service call for a posted, valid form, its domain errors shown beside the fields."""

import pytest
from django import forms
from django.test import RequestFactory

from policylend.core.errors import DomainError, NotFound, Problem
from policylend.core.forms import NOT_DONE, submit


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


class Action:
    """A stand-in service: records what it was called with, returns or raises what it is told."""

    def __init__(self, result=None, error: DomainError | None = None):
        self.result, self.error, self.calls = result, error, []

    def __call__(self, data):
        self.calls.append(dict(data))
        if self.error is not None:
            raise self.error
        return self.result


def _posted(data):
    request = RequestFactory().post("/", data)
    return request, NameForm(request.POST)


def test_a_posted_valid_form_runs_the_action_and_returns_its_result():
    request, form = _posted({"name": "Bắc Sơn"})
    action = Action(result=42)

    assert submit(request, form, action) == 42
    assert action.calls == [{"name": "Bắc Sơn"}]
    assert not form.errors


def test_a_service_that_returns_none_still_counts_as_done():
    request, form = _posted({"name": "Bắc Sơn"})

    assert submit(request, form, Action(result=None)) is None


def test_domain_problems_go_beside_the_named_field_or_on_the_form():
    request, form = _posted({"name": "Bắc Sơn"})
    error = DomainError.of(
        [
            Problem("taken", "The name is taken.", "name"),
            Problem("closed", "The commune is closed.", "commune"),
            Problem("refused", "Not today.", None),
        ]
    )

    assert submit(request, form, Action(error=error)) is NOT_DONE
    assert form.errors["name"] == ["The name is taken."]
    assert form.non_field_errors() == ["The commune is closed.", "Not today."]


def test_an_invalid_form_does_not_run_the_action():
    request, form = _posted({"name": ""})
    action = Action(result=42)

    assert submit(request, form, action) is NOT_DONE
    assert action.calls == []
    assert "name" in form.errors


def test_a_get_does_not_run_the_action():
    request = RequestFactory().get("/", {"name": "Bắc Sơn"})
    form = NameForm(request.GET)
    action = Action(result=42)

    assert submit(request, form, action) is NOT_DONE
    assert action.calls == []


def test_passed_on_errors_propagate_and_others_are_still_shown():
    request, form = _posted({"name": "Bắc Sơn"})
    missing = NotFound("not_found", "There is no such thing.")

    with pytest.raises(NotFound):
        submit(request, form, Action(error=missing), passed_on=(NotFound,))
    assert not form.errors

    assert submit(request, form, Action(error=missing)) is NOT_DONE
    assert form.non_field_errors() == ["There is no such thing."]
