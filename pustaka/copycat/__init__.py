"""Copy cataloguing: search other catalogues by ISBN, title and author or keywords, and copy a record with
its copies in one step.

SRU (CQL over HTTP, MARCXML) goes through requests and lxml; Z39.50 through Pustaka's own ctypes binding
of YAZ's ZOOM C API on Debian's ``libyaz5`` (:mod:`pustaka.copycat.z3950`), since PyZ3950 is unmaintained
and no maintained YAZ binding installs from PyPI. Figures: ``bench/copycat.py``.
"""
