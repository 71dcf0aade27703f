"""Sign-in state shared by every app process on one database (issue 23.5 behind a proxy, issue 21's
several processes): failed tries counted once for all processes, a signed-out editor cookie refused
by all, keys stored as digests, and a database outage that still throttles (this process's memory)."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from kpi import login, schema
from kpi.db import ensure_ready, make_engine
from kpi.login import DatabaseState, LoginThrottle, MemoryState
from ui import guard


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def second_process(engine):
    """A second engine on the same database: what another app process holds."""
    other = make_engine(engine.url.render_as_string(hide_password=False))
    yield other
    other.dispose()


def test_failures_in_one_process_count_in_the_other(engine, second_process):
    clock = Clock()
    a = LoginThrottle(clock=clock, state=DatabaseState(engine))
    b = LoginThrottle(clock=clock, state=DatabaseState(second_process))
    delays = []
    for throttle in (a, b, a, b, a):  # a guesser alternating between the processes
        assert throttle.refusal("10.0.0.1", "redacteur") is None
        delays.append(throttle.failed("10.0.0.1", "redacteur"))
        clock.now += 1
    assert delays == [1, 2, 4, 8, 8]  # one count, as with one process
    for throttle in (a, b):
        refused = throttle.refusal("10.0.0.1", "redacteur")
        assert refused is not None and "dit clientadres" in refused.reason
        assert refused.wait_s == pytest.approx(299)
        assert throttle.refusal("10.0.0.2", "redacteur") is None
    # A known browser is never refused, on either process.
    assert b.refusal("10.0.0.1", "redacteur", browser="laptop-van-de-redacteur") is None
    # A right password on b forgets this client's failures on a too.
    b.succeeded("10.0.0.1")
    assert a.refusal("10.0.0.1", "redacteur") is None
    clock.now += 15 * 60
    assert a.failed("10.0.0.9", "redacteur") == 1


def test_guesses_from_many_addresses_over_both_processes_stop_unknown_browsers(engine, second_process):
    clock = Clock()
    a = LoginThrottle(clock=clock, state=DatabaseState(engine))
    b = LoginThrottle(clock=clock, state=DatabaseState(second_process))
    for i in range(20):
        (a, b)[i % 2].failed(f"10.1.0.{i}", "redacteur")
    for throttle in (a, b):
        refused = throttle.refusal("192.168.1.7", "redacteur")
        assert refused is not None and "onbekende browsers" in refused.reason


def test_a_signed_out_cookie_is_refused_by_every_process_until_it_expires(engine, second_process):
    a, b = DatabaseState(engine), DatabaseState(second_process)
    a.revoke("cookie-1", until=2e9, now=1.8e9)
    assert a.is_revoked("cookie-1") and b.is_revoked("cookie-1")
    assert not b.is_revoked("cookie-2")
    b.revoke("cookie-2", until=1.9e9, now=1.8e9)
    assert a.is_revoked("cookie-2")
    a.revoke("cookie-3", until=2.1e9, now=1.95e9)  # a later sign-out clears the expired entries
    with engine.connect() as conn:
        kept = conn.execute(sa.select(schema.login_state.c.at).where(schema.login_state.c.kind == "revoked")).all()
    assert sorted(row.at for row in kept) == [2e9, 2.1e9]


def test_tries_made_before_the_database_opened_are_carried_over(engine):
    """A process counts in memory until it opens the database (while it starts); nothing of that
    may be forgotten when it switches (ui/guard.use_database)."""
    clock = Clock()
    memory = MemoryState()
    early = LoginThrottle(clock=clock, state=memory)
    for _ in range(3):
        early.failed("10.0.0.1", "redacteur")
    memory.revoke("vroeg-uitgelogd", until=2e9, now=clock.now)
    later = LoginThrottle(clock=clock, state=DatabaseState(engine, carried=memory))
    assert later.failed("10.0.0.1", "redacteur") == 8  # the fourth failure
    assert DatabaseState(engine).is_revoked("vroeg-uitgelogd")


def test_the_database_keeps_digests_never_an_address_or_cookie(engine):
    state = DatabaseState(engine)
    state.add_failure(["client:10.0.0.1", "account:redacteur"], 1.8e9)
    state.revoke("geheime-cookie-id", until=2e9, now=1.8e9)
    with engine.connect() as conn:
        keys = [row.key for row in conn.execute(sa.select(schema.login_state.c.key))]
    assert len(keys) == 3 and all(len(k) == 64 and "10.0.0.1" not in k and "geheim" not in k for k in keys)


def test_old_failures_are_deleted(engine):
    state = DatabaseState(engine)
    state.add_failure(["client:10.0.0.1"], 1.0e9)
    state.add_failure(["client:10.0.0.2"], 1.0e9 + login.FAILURE_MEMORY_S + 1)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.login_state)).scalar() == 1


def test_a_database_outage_still_throttles_in_memory(tmp_path, caplog):
    gone = make_engine(f"sqlite:///{tmp_path / 'bestaat-niet' / 'x.db'}")
    clock = Clock()
    throttle = LoginThrottle(clock=clock, state=DatabaseState(gone))
    with caplog.at_level(logging.WARNING, logger="kpi.auth"):
        delays = [throttle.failed("10.0.0.1", "redacteur") for _ in range(5)]
    assert delays == [1, 2, 4, 8, 8]
    assert throttle.refusal("10.0.0.1", "redacteur") is not None
    assert "niet in de database" in caplog.text


def test_memory_and_database_answer_alike(engine):
    """The same sequence of tries gives the same delays and refusals on both kinds of state."""
    answers = []
    for state in (MemoryState(), DatabaseState(engine)):
        clock = Clock()
        throttle = LoginThrottle(clock=clock, state=state)
        seen = []
        for step in range(12):
            client = f"10.0.0.{step % 3}"
            browser = "b" if step % 4 == 3 else None
            refused = throttle.refusal(client, "redacteur", browser)
            seen.append(("refused", round(refused.wait_s)) if refused else ("delay", throttle.failed(client, "redacteur", browser)))
            if step == 7:
                throttle.succeeded("10.0.0.1")
            clock.now += 7
        answers.append(seen)
    assert answers[0] == answers[1]


def test_the_guard_moves_its_state_into_the_database_once(engine, monkeypatch):
    monkeypatch.setattr(guard, "THROTTLE", LoginThrottle())
    guard.THROTTLE.failed("10.0.0.1", "redacteur")
    guard.use_database(engine)
    state = guard.THROTTLE.state
    guard.use_database(engine)
    assert guard.THROTTLE.state is state and isinstance(state, DatabaseState)
    assert state.failures(["client:10.0.0.1"], 0)  # the try made before, carried over


def test_tries_counted_while_the_database_was_not_ready_still_count_once_it_is(tmp_path, caplog):
    """Seen in CI: a process that starts serves sign-in tries while it still migrates its database;
    the tries that fell back to memory then were forgotten once the table answered, and a sixth
    guess from one address got through. Memory and database now count together."""
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    clock = Clock()
    throttle = LoginThrottle(clock=clock, state=DatabaseState(engine))
    with caplog.at_level(logging.WARNING, logger="kpi.auth"):
        early = [throttle.failed("10.0.0.1", "redacteur") for _ in range(2)]  # no table yet
    assert early == [1, 2] and "niet in de database" in caplog.text
    ensure_ready(engine)
    later = [throttle.failed("10.0.0.1", "redacteur") for _ in range(3)]
    assert later == [4, 8, 8]
    refused = throttle.refusal("10.0.0.1", "redacteur")
    assert refused is not None and "5 mislukte pogingen" in refused.reason
    throttle.succeeded("10.0.0.1")  # a right password forgets memory's share too
    assert throttle.refusal("10.0.0.1", "redacteur") is None
    engine.dispose()


def test_a_try_landing_in_memory_during_the_switch_is_not_lost(engine):
    """ui/guard.use_database swaps the state while requests run: a try recorded in the old memory
    after the new state was made still counts, and counts once."""
    clock = Clock()
    memory = MemoryState()
    LoginThrottle(clock=clock, state=memory).failed("10.0.0.1", "redacteur")
    state = DatabaseState(engine, carried=memory)
    LoginThrottle(clock=clock, state=memory).failed("10.0.0.1", "redacteur")  # a request on the old state
    assert len(state.failures(["client:10.0.0.1"], 0)["client:10.0.0.1"]) == 2
