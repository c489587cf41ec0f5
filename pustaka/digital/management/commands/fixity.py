"""``pustaka fixity [--not-checked-days N] [--limit N] [--workers N] [--file SHA256...]``: re-hash stored files."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pustaka.digital.actions.preservation import run_fixity
from pustaka.digital.check_messages import describe
from pustaka.digital.models import StoredFile


class Command(BaseCommand):
    help = "Re-hash stored files, record each check, and report missing or changed files (exit 1 if any)."

    def add_arguments(self, parser):
        parser.add_argument("--not-checked-days", type=int, default=None, help="only files not checked in N days")
        parser.add_argument("--limit", type=int, default=None, help="check at most N files (longest unchecked first)")
        parser.add_argument("--workers", type=int, default=2, help="hashing threads (default 2)")
        parser.add_argument("--file", dest="shas", action="append", default=[], help="check only this SHA-256")
        parser.add_argument("--no-email", action="store_true", help="do not e-mail the IT managers")

    def handle(self, *args, not_checked_days=None, limit=None, workers=2, shas=(), no_email=False, **options):
        for name, value in (("--not-checked-days", not_checked_days), ("--limit", limit), ("--workers", workers)):
            if value is not None and value < (1 if name == "--workers" else 0):
                raise CommandError(_("%(option)s must be a positive number") % {"option": name})
        files = None
        if shas:
            found = dict(StoredFile.objects.filter(sha256__in=shas).values_list("sha256", "pk"))
            unknown = [s for s in shas if s not in found]
            if unknown:
                raise CommandError(_("No stored file has the SHA-256 %(sha)s") % {"sha": ", ".join(unknown)})
            files = list(found.values())
        run = run_fixity(
            actor=None,
            files=files,
            not_checked_days=not_checked_days,
            limit=limit,
            workers=workers,
            notify=not no_email,
        )
        self.stdout.write(
            ngettext(
                "Checked %(checked)s file (%(mb).1f MB) in %(seconds).1f s (%(rate).0f MB/s): %(ok)s intact, "
                "%(changed)s changed, %(missing)s missing, %(errors)s unreadable.",
                "Checked %(checked)s files (%(mb).1f MB) in %(seconds).1f s (%(rate).0f MB/s): %(ok)s intact, "
                "%(changed)s changed, %(missing)s missing, %(errors)s unreadable.",
                run.checked,
            )
            % {**run.as_dict(), "mb": run.bytes / 1e6, "rate": run.mb_per_second}
        )
        for problem in run.problems:
            self.stdout.write(
                f"  {problem['outcome']:8} {problem['sha256']}  {problem['name']}  {describe(problem['note'])}".rstrip()
            )
        if run.has_problems:
            raise CommandError(
                ngettext(
                    "%(count)s file missing, changed or unreadable; see the digital library dashboard.",
                    "%(count)s files missing, changed or unreadable; see the digital library dashboard.",
                    run.changed + run.missing + run.errors,
                )
                % {"count": run.changed + run.missing + run.errors}
            )
