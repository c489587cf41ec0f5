"""The loan-rule matrix: which rule applies to a patron category × item type × branch, and why.

A rule names any of the three (an empty field matches everything). Of the rules that match, the one
naming more of the three wins; between rules naming as many, one naming the branch beats one naming
the item type, which beats one naming the patron category. With no rule at all, an unsaved
``LoanRule()`` with the model's defaults applies.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import LoanRule

FIELDS = ("patron_category", "item_type", "branch")


def _pk(value):
    return getattr(value, "pk", value)


def _specificity(rule: LoanRule) -> tuple[int, int, int, int]:
    """Sort key: the number of fields named, then branch, item type, category (higher wins)."""
    named = (rule.branch_id is not None, rule.item_type_id is not None, rule.patron_category_id is not None)
    return (sum(named), *[int(x) for x in named])


def _candidates(category, item_type, branch):
    q = Q()
    for name, value in zip(FIELDS, (category, item_type, branch), strict=True):
        pk = _pk(value)
        cond = Q(**{f"{name}__isnull": True})
        if pk is not None:
            cond |= Q(**{f"{name}_id": pk})
        q &= cond
    return q


def find_rule(*, category, item_type, branch) -> LoanRule:
    """The rule that applies (most specific wins); an unsaved default rule when none matches.

    ``category``, ``item_type`` and ``branch`` may be objects, ids or None. One query.
    """
    rules = list(LoanRule.objects.filter(_candidates(category, item_type, branch)))
    if not rules:
        return LoanRule()
    return max(rules, key=_specificity)


@dataclass
class Candidate:
    """One rule considered for a situation: whether it matches, why (or why not), and whether it wins."""

    rule: LoanRule
    matches: bool
    reasons: list[str] = field(default_factory=list)
    specificity: int = 0
    chosen: bool = False


def _describe(label, rule_value, asked) -> tuple[bool, str]:
    if rule_value is None:
        return True, str(_("%(field)s: any (matches)")) % {"field": label}
    if asked is not None and _pk(rule_value) == _pk(asked):
        return True, str(_("%(field)s: %(value)s (matches)")) % {"field": label, "value": rule_value}
    return False, str(_("%(field)s: %(value)s (does not match)")) % {"field": label, "value": rule_value}


def explain_rule(*, category, item_type, branch) -> list[Candidate]:
    """Every rule in the matrix with whether it matches this situation and why; the winner first.

    The chosen rule has ``chosen=True``; when no rule matches, the first entry is the unsaved
    default rule (``rule.pk is None``) marked chosen. Then the other matching rules from most to
    least specific, then the rules that do not match.
    """
    rules = list(LoanRule.objects.select_related("patron_category", "item_type", "branch"))
    labels = (_("Patron category"), _("Item type"), _("Branch"))
    asked = (category, item_type, branch)
    out: list[Candidate] = []
    for rule in rules:
        matches, reasons = True, []
        for label, name, value in zip(labels, FIELDS, asked, strict=True):
            ok, text = _describe(label, getattr(rule, name), value)
            matches &= ok
            reasons.append(text)
        out.append(Candidate(rule=rule, matches=matches, reasons=reasons, specificity=_specificity(rule)[0]))
    matching = sorted((c for c in out if c.matches), key=lambda c: _specificity(c.rule), reverse=True)
    others = [c for c in out if not c.matches]
    if matching:
        matching[0].chosen = True
        matching[0].reasons.append(str(_("Most specific matching rule: it applies.")))
        for c in matching[1:]:
            c.reasons.append(str(_("Matches, but a more specific rule applies.")))
        return matching + others
    default = Candidate(
        rule=LoanRule(),
        matches=True,
        reasons=[str(_("No rule matches: the library's built-in defaults apply."))],
        chosen=True,
    )
    return [default, *others]
