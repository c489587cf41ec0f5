"""The ``pustaka`` command: ``pustaka [--home DIR] COMMAND [options]``.

Commands of the contract (``init``, ``serve``, ``demo``, ``import-marc``, ``export-marc``,
``api-token``...) are Django management commands; ``pustaka manage ARGS`` runs any other one.
"""

import os
import sys

USAGE = """usage: pustaka [--home DIR] COMMAND [options]

commands:
  init [--demo] [--admin-password PW]   create or migrate the database (and load the demo library)
  serve [--host H] [--port P]           run the web server (pages, API, protocols)
  demo [--port P]                       init --demo, then serve
  import-marc FILE... [--format F]      import MARC21 (ISO 2709 or MARCXML) records
  export-marc OUT [--format F]          export every record as MARC21
  api-token USERNAME                    print a new API token for a user
  reindex                               rebuild the search index from the database
  worker                                run background jobs (notices, fixity, link checks)
  send-notices                          send due-soon, overdue, hold-ready and expiry emails now
  send-program-reminders [--today D]    email reminders for tomorrow's program sessions (each once)
  sip2 [--host H] [--port P]            SIP2 server for self-check machines (port 6001)
  ingest PATH... [--record ID]          ingest digital files (files or folders, recursively)
  import-kbart FILE [--collection C]    import e-journal holdings from a KBART file
  fixity                                re-hash stored files and report missing or changed ones
  link-check                            check the remote links of e-journals and databases
  backup DIR / restore DIR              back up or restore database, files and index
  manage ARGS...                        run any Django management command

--home DIR (or PUSTAKA_HOME) is the library's data folder; default ./pustaka-data.
"""


def _take_home(argv: list[str]) -> list[str]:
    """Remove ``--home DIR`` / ``--home=DIR`` from anywhere in argv and export it as PUSTAKA_HOME."""
    rest = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--home":
            if i + 1 >= len(argv):
                sys.exit("pustaka: --home needs a folder")
            os.environ["PUSTAKA_HOME"] = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--home="):
            os.environ["PUSTAKA_HOME"] = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    return rest


def main(argv: list[str] | None = None) -> None:
    argv = _take_home(list(sys.argv[1:] if argv is None else argv))
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pustaka.settings")
    from django.core.management import execute_from_command_line

    command, args = argv[0], argv[1:]
    if command == "manage":
        execute_from_command_line(["pustaka", *args])
        return
    execute_from_command_line(["pustaka", command.replace("-", "_"), *args])


if __name__ == "__main__":
    main()
