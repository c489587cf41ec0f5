"""How a staff or public page shows an action's refusal: once, here, instead of in every view.

::

    with action_messages(request):
        actions.close_helprequest(help_request=help_request, actor=request.user)
        messages.success(request, _("Question closed."))
    return redirect("reference:help_queue")

The block runs the action and what follows on success. When the action refuses (any
:class:`~pustaka.core.errors.PustakaError`), the rest of the block is skipped and the refusal is shown:
as a message above the page, or, given ``form=``, on the field it names (above the form when the form
has no such field). Nothing else is caught: a programming error still fails loudly. ``refused`` on the
object the ``with`` gives back says what happened, for the pages that answer a refusal differently::

    with action_messages(request, form=form) as outcome:
        program = actions.create_program(actor=request.user, **data)
        return redirect("programs:session_create", pk=program.pk)
    return render(request, "programs/form.html", {"form": form})  # the form, with the refusal on it
"""

from __future__ import annotations

from django.contrib import messages

from .errors import PustakaError


class action_messages:
    """Show a :class:`PustakaError` raised inside the block on the page instead of failing the request.

    ``form``: put the refusal on that form (on the field it names) rather than in a message.
    ``aliases``: the form's names for the error's fields (``{"isbn": "isbns"}``; ``None`` for above the form).
    ``staff``: show the staff text an error may carry (a block's note on the desk), not the patron's text.
    """

    def __init__(self, request, *, form=None, aliases: dict[str, str | None] | None = None, staff: bool = False):
        self.request = request
        self.form = form
        self.aliases = aliases
        self.staff = staff
        self.refused: PustakaError | None = None

    def __enter__(self) -> action_messages:
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if not isinstance(error, PustakaError):
            return False
        self.refused = error
        if self.form is not None:
            from .forms import add_error

            add_error(self.form, error, self.aliases)
        else:
            messages.error(self.request, refusal_text(error, staff=self.staff))
        return True


def refusal_text(error: PustakaError, *, staff: bool = False) -> str:
    """What a person is shown for ``error``; for staff, the staff text when the error has one."""
    return (staff and getattr(error, "staff_text", None)) or str(error)
