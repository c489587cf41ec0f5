"""How the technical services' actions that check inside are refused (read by core's action-registry
test): taking work is for technicians, finishing an assignment for its assignee or a supervisor."""


def _refuse_taking_work_for_anyone_but_a_technician(f, fn):
    from pustaka.core.choices import Role
    from pustaka.core.tests.test_action_registry import refuse
    from pustaka.technical.choices import Queue
    from pustaka.technical.errors.supervision import NotATechnician
    from pustaka.technical.models import Assignment

    for role in (Role.CIRCULATION, Role.LIBRARIAN, Role.IT_MANAGER, "patron"):
        refuse(lambda role=role: fn(items=[f["item"]], queue=Queue.PROCESSING, actor=f["actors"][role]), NotATechnician)
    assert not Assignment.objects.exists()


def _refuse_finishing_someone_elses_assignment(f, fn):
    from pustaka.core.choices import Role
    from pustaka.core.tests.test_action_registry import refuse
    from pustaka.technical.choices import Queue
    from pustaka.technical.errors.supervision import NotYourAssignment
    from pustaka.technical.models import Assignment

    assignment = Assignment.objects.create(
        item=f["item"], queue=Queue.PROCESSING, assigned_to=f["actors"][Role.TECHNICIAN]
    )
    for role in (Role.CIRCULATION, Role.IT_MANAGER):
        refuse(lambda role=role: fn(assignment=assignment, actor=f["actors"][role]), NotYourAssignment)
    assignment.refresh_from_db()
    assert assignment.finished_at is None


CHECKED_INSIDE = {
    "pustaka.technical.actions.supervision.take_work": _refuse_taking_work_for_anyone_but_a_technician,
    "pustaka.technical.actions.supervision.finish_assignment": _refuse_finishing_someone_elses_assignment,
}
