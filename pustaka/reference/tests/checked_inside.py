"""How the questions' actions that check inside are refused (read by core's action-registry test)."""


def _refuse_too_many_questions_from_one_address(f, fn):
    """Anyone may ask; one address that has asked its hourly share is refused and nothing is written."""
    from pustaka.core.tests.test_action_registry import refuse
    from pustaka.reference.actions import HELP_MAX_PER_HOUR
    from pustaka.reference.errors import TooManyQuestions
    from pustaka.reference.models import HelpRequest

    ask = {"question": "Where are the atlases?", "name": "Budi", "email": "budi@example.org", "ip": "10.0.0.7"}
    for _ in range(HELP_MAX_PER_HOUR):
        fn(actor=None, **ask)
    refuse(lambda: fn(actor=None, **ask), TooManyQuestions)
    assert HelpRequest.objects.count() == HELP_MAX_PER_HOUR


CHECKED_INSIDE = {"pustaka.reference.actions.ask_question": _refuse_too_many_questions_from_one_address}
