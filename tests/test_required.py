"""A missing machine part may skip only in a loose local run, never under `make test` or CI."""

import pytest

from tests.support.required import skip_or_fail

REQUIRING = ("CI", "KPI_REQUIRE_ALL", "KPI_REQUIRE_BROWSER", "KPI_REQUIRE_POSTGRES", "KPI_REQUIRE_TOOLS")


@pytest.fixture
def loose(monkeypatch):
    for name in REQUIRING:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_loose_run_skips_for_a_missing_part(loose):
    with pytest.raises(pytest.skip.Exception, match="chromium missing"):
        skip_or_fail("BROWSER", "chromium missing")


@pytest.mark.parametrize("name", ["CI", "KPI_REQUIRE_ALL", "KPI_REQUIRE_POSTGRES"])
def test_make_test_and_ci_turn_a_missing_part_into_a_failure(loose, name):
    loose.setenv(name, "1")
    with pytest.raises(pytest.fail.Exception, match=r"required here \(POSTGRES\): PostgreSQL not available"):
        skip_or_fail("POSTGRES", "PostgreSQL not available")


def test_the_makefile_requires_every_part():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "KPI_REQUIRE_ALL=1" in test_recipe
