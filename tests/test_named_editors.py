"""Named editors (issue 12, point 11): with OIDC login ([auth] in secrets) a signed-in user is an
editor when listed by e-mail or group, and that identity, not free text, is recorded on every
import batch, undo, target revision and event (SQLite and PostgreSQL). A signed-in user who is
not listed views only; without [auth] the password login stays. The flow through a real identity
provider in chromium is in tests/test_oidc_browser.py."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from kpi import repository, schema
from kpi.db import make_engine
from kpi.login import identity, is_listed_editor
from kpi.settings import Settings
from tests.support.apptest import APP, html_table_with, open_page, refused_to_viewer, texts
from ui.components import md

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "een-lang-geheim-voor-de-cookies-van-de-test",
    "client_id": "binnenstadmonitor",
    "client_secret": "geheim-van-de-test",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
EDITORS = {"emails": ["Anna.deVries@assen.nl"], "groups": ["binnenstad-redactie"]}
ANNA = {"is_logged_in": True, "sub": "anna", "name": "Anna de Vries", "email": "anna.devries@assen.nl",
        "email_verified": True}
ANNA_ID = "Anna de Vries (anna.devries@assen.nl)"
PIET = {"is_logged_in": True, "sub": "piet", "name": "Piet Bakker", "email": "piet@example.org"}
CSV = b"gebied;indicator;jaar;waarde;bron\nAssen binnenstad;banen;2026;4.350;LISA 2026\n"


def run_oidc(monkeypatch, db_url: str, user: dict, page: str | None = None,
             editors: dict | None = None, env: dict[str, str] | None = None) -> AppTest:
    """Run app.py with OIDC configured in secrets and `user` as st.user."""
    monkeypatch.setenv("KPI_DATABASE_URL", db_url)
    # A (strong) password is set too: with [auth] it must not be offered.
    monkeypatch.setenv("KPI_EDITOR_PASSWORD", "een-echt-sterk-wachtwoord")
    for name in ("KPI_EDITOR_EMAILS", "KPI_EDITOR_GROUPS", "KPI_EDITOR_GROUP_CLAIM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets = {"auth": AUTH, "editors": EDITORS if editors is None else editors}
    at.user = user
    at.run()
    if page:
        open_page(at, page).run()
    return at


def _sidebar_text(at: AppTest) -> str:
    return " ".join([c.value for c in at.sidebar.caption] + [i.value for i in at.sidebar.info])


# ---------------------------------------------------------------- the rules, without Streamlit


@pytest.mark.parametrize(("claims", "expected"), [
    (ANNA, ANNA_ID),
    ({"given_name": "Anna", "family_name": "de Vries", "email": "a@assen.nl"}, "Anna de Vries (a@assen.nl)"),
    ({"preferred_username": "avries", "sub": "x"}, "avries"),
    ({"email": "a@assen.nl", "name": "a@assen.nl"}, "a@assen.nl"),
    ({"sub": "248289761001"}, "248289761001"),
    ({}, "onbekende gebruiker"),
    # Control characters and line breaks from the provider never reach the history.
    ({"name": "Anna\x1b[31m\nde  Vries", "email": "a@assen.nl"}, "Anna [31m de Vries (a@assen.nl)"),
])
def test_identity_is_name_and_email(claims, expected):
    assert identity(claims) == expected


def test_identity_fits_the_history_column():
    long = identity({"name": "N" * 500, "email": "anna.devries@assen.nl"})
    assert len(long) == 200 and long.endswith(" (anna.devries@assen.nl)")
    # An absurdly long e-mail address is left out rather than cut: the name alone is recorded.
    assert identity({"name": "N" * 150, "email": "e" * 150 + "@assen.nl"}) == "N" * 150
    assert schema.import_batches.c.created_by.type.length == 200
    assert schema.targets.c.created_by.type.length == 200


@pytest.mark.parametrize(("claims", "listed"), [
    ({"email": "anna.devries@assen.nl"}, True),  # e-mail compared without case
    ({"email": "ANNA.DEVRIES@ASSEN.NL", "email_verified": True}, True),
    ({"email": "anna.devries@assen.nl", "email_verified": False}, False),  # unverified: not trusted
    ({"email": "piet@example.org"}, False),
    ({"email": "piet@example.org", "groups": ["ambtenaren", "binnenstad-redactie"]}, True),
    ({"email": "piet@example.org", "groups": "ambtenaren binnenstad-redactie"}, True),
    ({"email": "piet@example.org", "groups": ["binnenstad-redactie-lezers"]}, False),
    ({"groups": []}, False),
    ({}, False),
])
def test_editor_by_email_or_group(claims, listed):
    assert is_listed_editor(claims, EDITORS["emails"], EDITORS["groups"]) is listed


def test_groups_claim_is_configurable():
    claims = {"email": "piet@example.org", "roles": ["binnenstad-redactie"], "groups": ["x"]}
    assert is_listed_editor(claims, [], ["binnenstad-redactie"], group_claim="roles")
    assert not is_listed_editor(claims, [], ["binnenstad-redactie"])
    assert not is_listed_editor(claims, [" "], [" "])  # empty entries list nobody


def test_editor_lists_from_the_environment():
    s = Settings.from_env({"KPI_EDITOR_EMAILS": " a@assen.nl, ,b@assen.nl ", "KPI_EDITOR_GROUPS": "redactie",
                           "KPI_EDITOR_GROUP_CLAIM": "roles"})
    assert (s.editor_emails, s.editor_groups, s.editor_group_claim) == (
        ("a@assen.nl", "b@assen.nl"), ("redactie",), "roles")
    assert (Settings().editor_emails, Settings().editor_groups, Settings().editor_group_claim) == ((), (), "groups")


# ---------------------------------------------------------------- the app, signed in


def test_listed_editor_imports_and_undoes_under_the_signed_in_name(monkeypatch, db_url):
    at = run_oidc(monkeypatch, db_url, ANNA, page="importeren")
    assert not at.exception and not at.error
    assert "Ingelogd als redacteur: Anna de Vries" in _sidebar_text(at)
    assert not any(t.type == "password" for t in at.sidebar.text_input)  # no password login beside OIDC
    recorded = at.text_input(key="import_user_oidc")
    assert (recorded.value, recorded.disabled, recorded.label) == (ANNA_ID, True, "Vastgelegd als")
    assert not [t for t in at.text_input if t.key == "import_user"]  # no free-text name
    at.file_uploader[0].upload("lisa.csv", CSV, "text/csv").run()
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception and not at.error
    assert any("Opgeslagen als importbatch" in s.value for s in at.success)

    open_page(at, "importgeschiedenis").run()
    assert html_table_with(at, "Door")["Door"].iloc[0] == ANNA_ID
    assert at.text_input(key="undo_user_oidc").value == ANNA_ID
    at.selectbox(key="undo_batch").select_index(0).run()
    at.checkbox(key="undo_sure").check().run()
    at.button(key="undo_button").click().run()
    assert not at.exception and not at.error

    engine = make_engine(db_url)
    try:
        batch = repository.load_batches(engine).query("filename == 'lisa.csv'").iloc[0]
        assert (batch["created_by"], batch["undone_by"]) == (ANNA_ID, ANNA_ID)
    finally:
        engine.dispose()


def test_target_revision_and_events_record_the_signed_in_name(monkeypatch, db_url):
    at = run_oidc(monkeypatch, db_url, ANNA, page="doelen")
    assert not at.exception and not at.error
    assert at.text_input(key="target_user_oidc").value == ANNA_ID
    at.selectbox(key="target_kpi").set_value("bedrijven").run()
    at.number_input(key="target_value").set_value(520.0)
    at.text_input(key="target_reason").input("Tussentijdse herziening")
    next(b for b in at.button if b.label == "Nieuwe doelversie opslaan").click().run()
    assert any("Doelversie 2 opgeslagen" in s.value for s in at.success)

    open_page(at, "gebeurtenissen").run()
    at.text_input(key="event_text").input("Opening parkeergarage")
    next(b for b in at.button if b.label == "Toevoegen").click().run()
    assert not at.exception and not at.error
    at.button(key="event_delete").click().run()
    assert not at.exception and not at.error

    engine = make_engine(db_url)
    try:
        history = repository.load_target_history(engine).query("indicator == 'bedrijven'")
        assert history["created_by"].iloc[-1] == ANNA_ID and history["version"].iloc[-1] == 2
        with engine.connect() as conn:
            event = conn.execute(sa.select(schema.events.c.created_by, schema.events.c.deleted_by)).one()
        assert tuple(event) == (ANNA_ID, ANNA_ID)
    finally:
        engine.dispose()


def test_a_single_string_in_secrets_lists_addresses_not_characters(monkeypatch, sqlite_url):
    at = run_oidc(monkeypatch, sqlite_url, PIET, editors={"emails": "a@assen.nl, piet@example.org", "groups": "p"})
    assert not at.exception
    open_page(at, "importeren").run()
    assert at.text_input(key="import_user_oidc").value == "Piet Bakker (piet@example.org)"
    # One-letter "groups" from splitting a string into characters would make anyone with group "p" an editor.
    at = run_oidc(monkeypatch, sqlite_url, {**PIET, "email": "x@example.org", "groups": ["e"]},
                  editors={"groups": "redactie"})
    refused_to_viewer(at, "importeren")


def test_group_member_is_an_editor(monkeypatch, sqlite_url):
    kees = {"is_logged_in": True, "name": "Kees Smit", "email": "kees@assen.nl", "groups": ["binnenstad-redactie"]}
    at = run_oidc(monkeypatch, sqlite_url, kees, page="importeren")
    assert not at.exception and not at.error
    assert at.text_input(key="import_user_oidc").value == "Kees Smit (kees@assen.nl)"


def test_editors_may_come_from_the_environment(monkeypatch, sqlite_url):
    at = run_oidc(monkeypatch, sqlite_url, PIET, editors={}, env={"KPI_EDITOR_EMAILS": "piet@example.org"})
    assert not at.exception
    open_page(at, "importeren").run()
    assert at.text_input(key="import_user_oidc").value == "Piet Bakker (piet@example.org)"


def test_signed_in_user_not_listed_is_a_viewer(monkeypatch, sqlite_url):
    at = run_oidc(monkeypatch, sqlite_url, PIET)
    assert not at.exception and not at.error
    # The identity is shown as literal text (Markdown escaped), whatever the provider sends.
    assert (f"U bent ingelogd als {md('Piet Bakker (piet@example.org)')}, maar u staat niet op de lijst van "
            "redacteuren") in _sidebar_text(at)
    for page in ["importeren", "importgeschiedenis", "doelen", "gebeurtenissen"]:
        refused_to_viewer(at, page)
    assert not any(t.type == "password" for t in at.sidebar.text_input)
    assert [b.label for b in at.sidebar.button] == ["Uitloggen"]


def test_not_signed_in_is_offered_the_identity_provider_not_the_password(monkeypatch, sqlite_url):
    at = run_oidc(monkeypatch, sqlite_url, {"is_logged_in": False})
    assert not at.exception and not at.error
    assert [b.label for b in at.sidebar.button] == ["Inloggen als redacteur"]
    assert not any(t.type == "password" for t in at.sidebar.text_input)
    assert "Met uw account van de gemeente." in texts(at)
    refused_to_viewer(at, "importeren")


def test_without_auth_the_password_and_a_bounded_name_field_stay(monkeypatch, sqlite_url):
    from tests.support.apptest import run_app

    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    assert not at.exception
    field = at.text_input(key="import_user")
    assert field.max_chars == 200 and not field.disabled
    assert not [t for t in at.text_input if t.key == "import_user_oidc"]


def test_the_example_secrets_configure_oidc_when_uncommented():
    import re
    import tomllib

    from tests.support.browser import ROOT

    text = (ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8")
    assert "[auth]" not in tomllib.loads(text)  # as shipped, copying it does not switch OIDC on
    uncommented = re.sub(r"(?m)^# ?(\[|[a-z_]+ = )", r"\1", text)
    secrets = tomllib.loads(uncommented)
    assert set(secrets["auth"]) >= {"redirect_uri", "cookie_secret", "client_id", "client_secret",
                                    "server_metadata_url"}
    assert secrets["auth"]["redirect_uri"].endswith("/oauth2callback")
    assert set(secrets["editors"]) == {"emails", "groups", "group_claim"}


def test_an_incomplete_provider_configuration_is_a_dutch_message(monkeypatch, sqlite_url, caplog):
    # AppTest's secrets do not reach Streamlit's own [auth] check, which then finds no credentials:
    # the same StreamlitAuthError a real server raises for an incomplete [auth] section.
    at = run_oidc(monkeypatch, sqlite_url, {"is_logged_in": False})
    at.sidebar.button(key="auth_oidc_login").click().run()
    assert not at.exception
    assert [e.value for e in at.sidebar.error][0].startswith(
        "Inloggen is nu niet mogelijk: de koppeling met de identiteitsprovider is onvolledig ingesteld")
    assert "Inloggen via OIDC niet mogelijk" in caplog.text


# ---------------------------------------------------------------- issue 23.1: the cookie secret


@pytest.mark.parametrize("secret", [
    "een-lange-willekeurige-tekenreeks",  # the example of secrets.toml.example
    " Een-Lange-Willekeurige-Tekenreeks ", "x", "changeme", "a" * 31,
])
def test_an_example_known_or_short_cookie_secret_makes_nobody_an_editor(monkeypatch, sqlite_url, secret):
    monkeypatch.setitem(AUTH, "cookie_secret", secret)
    at = run_oidc(monkeypatch, sqlite_url, ANNA)  # a listed editor's claims, as a forged cookie would give
    assert not at.exception
    assert any("cookie_secret" in e.value and "uitgeschakeld" in e.value for e in at.sidebar.error)
    refused_to_viewer(at, "importeren")
    assert not [b for b in at.sidebar.button if b.label == "Inloggen als redacteur"]


def test_a_long_own_cookie_secret_is_accepted():
    from kpi.login import weak_cookie_secret_reason

    assert weak_cookie_secret_reason("k3J9-vQ2x_Lm8PzR4tYw1Nb6Hc0Ds5Fg7Ue") is None
    assert "te kort (31 tekens" in weak_cookie_secret_reason("b" * 31)


def test_the_example_cookie_secret_is_the_refused_one():
    from kpi.login import EXAMPLE_COOKIE_SECRET
    from tests.support.browser import ROOT

    text = (ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8")
    assert f'cookie_secret = "{EXAMPLE_COOKIE_SECRET}"' in text
