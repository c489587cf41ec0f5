"""Every OPAC test has its own search index in tmp_path; ``reindex()`` builds it from the database."""

import pytest


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    """A private, empty index folder (no index yet: the fallback search answers until ``reindex``)."""
    settings.PUSTAKA_INDEX_DIR = tmp_path / "index"
    return settings.PUSTAKA_INDEX_DIR


@pytest.fixture
def reindex(index_dir):
    """``reindex()`` rebuilds the index from the database (records made directly skip the change log)."""
    from pustaka.search import engine

    def build():
        return engine.rebuild()

    return build
