"""The tables, declared once with SQLAlchemy Core; Alembic migrations create them."""

from __future__ import annotations

import sqlalchemy as sa

from kpi.names import slug as _slug


def _slug_default(context) -> str:
    # Writers that name a new area without a slug (tests, bench) get the name's; the importer and
    # the seed pass a slug made unique by repository.area_rows.
    return _slug(context.get_current_parameters()["name"])


metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

areas = sa.Table(
    "areas",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("kind", sa.String(40), nullable=False, server_default="binnenstad"),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    # Issue 21: the centre in the URL and on the CLI (?gebied=, --gebied), unique, from the name.
    # Filled on every insert (nullable only because SQLite cannot add a NOT NULL column to a table
    # with rows without copying it); unique by the index below.
    sa.Column("slug", sa.String(100), nullable=True, default=_slug_default),
    # The werkgroep of centres this area is compared with (benchmark page); '' means none.
    sa.Column("peer_group", sa.String(200), nullable=False, server_default=""),
    # A fictional demo centre (python -m kpi demo); `demo --remove` deletes it with its figures.
    sa.Column("illustrative", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("uq_areas_slug", "slug", unique=True),
)

# Issue 21: what a `gebieden` import did to an area and what it was before (areas are not versioned),
# so that undo restores it, or deletes a centre the batch added (migration 0015).
area_changes = sa.Table(
    "area_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("batch_id", sa.ForeignKey("import_batches.id"), nullable=False),
    sa.Column("area_id", sa.Integer, nullable=False, index=True),  # no FK: an undone new centre is deleted
    sa.Column("change", sa.String(20), nullable=False),  # nieuw | gewijzigd
    sa.Column("old_kind", sa.String(40), nullable=True),
    sa.Column("old_description", sa.Text, nullable=True),
    sa.Column("old_peer_group", sa.String(200), nullable=True),
    sa.Column("old_illustrative", sa.Boolean, nullable=True),
)

indicators = sa.Table(
    "indicators",
    metadata,
    sa.Column("code", sa.String(60), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("unit", sa.String(20), nullable=False),  # aantal | procent | cijfer | positie
    sa.Column("direction", sa.String(10), nullable=False),  # hoger | lager
    sa.Column("decimals", sa.Integer, nullable=False, server_default="0"),
    sa.Column("max_age_years", sa.Integer, nullable=False, server_default="3"),
    # The largest plausible change between two successive figures, in the unit; NULL: the
    # unit's default (kpi/units.py). A larger change asks the editor to confirm (issue 17).
    sa.Column("plausible_jump", sa.Float(53), nullable=True),
    sa.Column("frequency", sa.String(200), nullable=False, server_default=""),
    sa.Column("theme", sa.String(200), nullable=False, server_default=""),
    sa.Column("sort_order", sa.Integer, nullable=False, server_default="0"),
    sa.Column("definition", sa.Text, nullable=False, server_default=""),
    sa.Column("source", sa.Text, nullable=False, server_default=""),
)

import_batches = sa.Table(
    "import_batches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),  # seed | demo | observaties | doelen
    sa.Column("filename", sa.String(500), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, server_default=""),
    sa.Column("rows_total", sa.Integer, nullable=False, server_default="0"),
    sa.Column("rows_added", sa.Integer, nullable=False, server_default="0"),
    sa.Column("rows_changed", sa.Integer, nullable=False, server_default="0"),
    sa.Column("rows_unchanged", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("undone_at", sa.DateTime, nullable=True),
    sa.Column("undone_by", sa.String(200), nullable=True),
)

# Issue 21: an agreement (akkoord, visie) the targets belong to: name, date, parties, source, and
# an end date once it is closed ("afgesloten"). Versioned like actions (a change is a new row,
# one current row per name); a target refers to the version current when it was written and is
# read with the current version of the same name, so undo never has to delete a referenced row.
agreements = sa.Table(
    "agreements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("agreement_date", sa.Date, nullable=False),
    sa.Column("parties", sa.Text, nullable=False, server_default=""),
    sa.Column("source", sa.Text, nullable=False, server_default=""),
    sa.Column("end_date", sa.Date, nullable=True),
    sa.Column("batch_id", sa.ForeignKey("import_batches.id"), nullable=True),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("superseded_at", sa.DateTime, nullable=True),
    sa.Column("superseded_by_batch_id", sa.ForeignKey("import_batches.id"), nullable=True),
    sa.Index(
        "uq_agreements_current",
        "name",
        unique=True,
        sqlite_where=sa.text("superseded_at IS NULL"),
        postgresql_where=sa.text("superseded_at IS NULL"),
    ),
)

targets = sa.Table(
    "targets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("indicator_code", sa.ForeignKey("indicators.code"), nullable=False),
    sa.Column("area_id", sa.ForeignKey("areas.id"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("baseline_value", sa.Float(53), nullable=True),
    sa.Column("baseline_year", sa.Integer, nullable=True),
    sa.Column("target_value", sa.Float(53), nullable=True),
    sa.Column("target_year", sa.Integer, nullable=True),
    # absoluut: reach target_value; onder_landelijk: stay below the benchmark area's figure;
    # toename: rise (or fall, by the indicator's direction) by target_value since the baseline year
    sa.Column("comparison", sa.String(20), nullable=False, server_default="absoluut"),
    # Issue 8: the year the goal should be reached by where the akkoord names no target year
    # (a planning horizon the regiegroep sets: an assumption), and the benchmark figure the
    # akkoord itself names at the baseline (vacancy: 7,8% "in binnensteden").
    sa.Column("horizon_year", sa.Integer, nullable=True),
    sa.Column("baseline_benchmark", sa.Float(53), nullable=True),
    sa.Column("source", sa.Text, nullable=False, server_default=""),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
    sa.Column("batch_id", sa.ForeignKey("import_batches.id"), nullable=True),
    # The agreement this target version belongs to (issue 21); see `agreements`.
    sa.Column("agreement_id", sa.ForeignKey("agreements.id"), nullable=True),
    sa.UniqueConstraint("indicator_code", "area_id", "version", name="uq_targets_version"),
)

observations = sa.Table(
    "observations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("area_id", sa.ForeignKey("areas.id"), nullable=False),
    sa.Column("indicator_code", sa.ForeignKey("indicators.code"), nullable=False),
    sa.Column("peildatum", sa.Date, nullable=False),
    # jaar: only the year is known (shown as "2017"); dag: an exact reference date
    sa.Column("precision", sa.String(4), nullable=False, server_default="dag"),
    sa.Column("value", sa.Float(53), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("illustrative", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("batch_id", sa.ForeignKey("import_batches.id"), nullable=True),
    # Versioning: a row is current while superseded_at is NULL; a changed value gets a
    # new row and the old one keeps its batch, time and author.
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("superseded_at", sa.DateTime, nullable=True),
    sa.Column("superseded_by_batch_id", sa.ForeignKey("import_batches.id"), nullable=True),
    # The plausibility warning an editor confirmed when importing this figure; '' otherwise.
    sa.Column("plausibility", sa.Text, nullable=False, server_default=""),
    sa.Index(
        "uq_observations_current",
        "area_id",
        "indicator_code",
        "peildatum",
        "precision",
        unique=True,
        sqlite_where=sa.text("superseded_at IS NULL"),
        postgresql_where=sa.text("superseded_at IS NULL"),
    ),
    sa.Index("ix_observations_batch", "batch_id"),
    # The banner's count of current illustrative figures (repository.count_illustrative), read on
    # every page load: without it PostgreSQL read all rows at scale (migration 0012).
    sa.Index(
        "ix_observations_illustrative",
        "id",
        sqlite_where=sa.text("illustrative AND superseded_at IS NULL"),
        postgresql_where=sa.text("illustrative AND superseded_at IS NULL"),
    ),
)

# Dated events (a garage opening, a lockdown) shown on the charts and in reports.
# Deleting only marks the row, so a briefing "as known on" an earlier date can be reproduced.
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("event_date", sa.Date, nullable=False),
    sa.Column("text", sa.String(200), nullable=False),
    sa.Column("indicator_code", sa.ForeignKey("indicators.code"), nullable=True),
    sa.Column("area_id", sa.ForeignKey("areas.id"), nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
    sa.Column("deleted_at", sa.DateTime, nullable=True),
    sa.Column("deleted_by", sa.String(200), nullable=True),
    sa.Index("ix_events_event_date", "event_date"),
)

# The werkplan beside the goals, per centre (issue 21.3, migration 0013): each area has its own
# themes (Assen: themalijnen A-F; another centre its own letters and names), roles and bodies, the
# role x theme matrix (which roles work on which theme, werkplan deel A) and actions.
themes = sa.Table(
    "themes",
    metadata,
    sa.Column("area_id", sa.ForeignKey("areas.id"), primary_key=True),
    sa.Column("letter", sa.String(1), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("source", sa.Text, nullable=False, server_default=""),
    # The import batch (themas) that added the theme; NULL for the seed's. Undo deletes it again.
    sa.Column("batch_id", sa.ForeignKey("import_batches.id"), nullable=True),
    sa.UniqueConstraint("area_id", "name", name="uq_themes_area_name"),
)

roles = sa.Table(
    "roles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("area_id", sa.ForeignKey("areas.id"), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    # The body the role belongs to: uitvoeringsteam Vaart in Assen, gemeente Assen, ...
    sa.Column("body", sa.String(200), nullable=False, server_default=""),
    # rol: a person's role; orgaan: a body that meets (regiegroep, ThemaTafels, ...)
    sa.Column("kind", sa.String(10), nullable=False, server_default="rol"),
    sa.Column("sort_order", sa.Integer, nullable=False, server_default="0"),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("source", sa.Text, nullable=False, server_default=""),
    # The import batch (rollen) that added the role; NULL for the seed's. Undo deletes it again.
    sa.Column("batch_id", sa.ForeignKey("import_batches.id"), nullable=True),
    sa.UniqueConstraint("area_id", "name", name="uq_roles_area_name"),
)

role_themes = sa.Table(
    "role_themes",
    metadata,
    sa.Column("role_id", sa.ForeignKey("roles.id"), primary_key=True),
    sa.Column("area_id", sa.Integer, nullable=False),
    sa.Column("theme_letter", sa.String(1), primary_key=True),
    sa.Column("source", sa.Text, nullable=False, server_default=""),
    sa.ForeignKeyConstraint(["area_id", "theme_letter"], ["themes.area_id", "themes.letter"],
                            name="fk_role_themes_theme_themes"),
)

# Actions are versioned like observations: a change (status, note, due date, ...) is a new
# row; the old row keeps its batch and time and gets superseded_at/superseded_by_batch_id.
# One current row per (area, code). The status codes are kpi.werkplan.ACTION_STATUSES.

actions = sa.Table(
    "actions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("area_id", sa.ForeignKey("areas.id"), nullable=False),
    sa.Column("code", sa.String(40), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("theme_letter", sa.String(1), nullable=False),
    # gemeente, Vaart in Assen, both, or a partner: free text, empty when not known
    sa.Column("owner", sa.String(200), nullable=False, server_default=""),
    sa.Column("role_id", sa.ForeignKey("roles.id"), nullable=True),
    sa.Column("year", sa.Integer, nullable=True),
    sa.Column("start_date", sa.Date, nullable=True),
    sa.Column("due_date", sa.Date, nullable=True),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("budget", sa.Numeric(14, 2, asdecimal=False), nullable=True),
    sa.Column("spent", sa.Numeric(14, 2, asdecimal=False), nullable=True),
    # The fund's name as the centre writes it (Binnenstadfonds, Ondernemersfonds, ...): data per
    # centre, not a fixed list (kpi.werkplan.FUNDS only spells Assen's own in words).
    sa.Column("fund", sa.String(40), nullable=True),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("illustrative", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("batch_id", sa.ForeignKey("import_batches.id"), nullable=True),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("superseded_at", sa.DateTime, nullable=True),
    sa.Column("superseded_by_batch_id", sa.ForeignKey("import_batches.id"), nullable=True),
    sa.ForeignKeyConstraint(["area_id", "theme_letter"], ["themes.area_id", "themes.letter"],
                            name="fk_actions_theme_themes"),
    sa.CheckConstraint(
        "status IN ('gepland', 'lopend', 'afgerond', 'vertraagd', 'gestopt')", name="status"
    ),
    sa.Index(
        "uq_actions_current",
        "area_id",
        "code",
        unique=True,
        sqlite_where=sa.text("superseded_at IS NULL"),
        postgresql_where=sa.text("superseded_at IS NULL"),
    ),
    sa.Index("ix_actions_batch", "batch_id"),
)

# The KPIs an action is meant to move, per action version (so an as-of view shows the
# links as they were); see kpi/werkplan/store.py for why a link table.
action_kpis = sa.Table(
    "action_kpis",
    metadata,
    sa.Column("action_id", sa.ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("indicator_code", sa.ForeignKey("indicators.code"), primary_key=True),
)

# One row whose token changes in the same transaction as every write, so every
# dashboard process (one or several, on one database) sees a change on its next page load
# and keys its caches on it. Read once per script run; a random token rather than a counter,
# so a database that is recreated never repeats a version an old cache entry was keyed on.
data_version = sa.Table(
    "data_version",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token", sa.String(32), nullable=False),
    sa.Column("changed_at", sa.DateTime, nullable=False),
)

# Issue 22: who gets the digest (versioned like actions: a change is a new row, undo brings the
# previous version back; one current row per e-mail address) and what was sent to whom.
subscribers = sa.Table(
    "subscribers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(254), nullable=False),  # stored in lower case
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
    # Area names, comma-separated; '' means the monitored area.
    sa.Column("areas", sa.Text, nullable=False, server_default=""),
    # 'alle', or comma-separated indicator codes, or '' (no KPIs, only the werkplan).
    sa.Column("kpis", sa.Text, nullable=False, server_default="alle"),
    sa.Column("werkplan", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    # The secret in the unsubscribe link; kept from version to version.
    sa.Column("token", sa.String(64), nullable=False),
    sa.Column("batch_id", sa.ForeignKey("import_batches.id"), nullable=True),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("superseded_at", sa.DateTime, nullable=True),
    sa.Column("superseded_by_batch_id", sa.ForeignKey("import_batches.id"), nullable=True),
    sa.Index(
        "uq_subscribers_current",
        "email",
        unique=True,
        sqlite_where=sa.text("superseded_at IS NULL"),
        postgresql_where=sa.text("superseded_at IS NULL"),
    ),
    sa.Index("ix_subscribers_batch", "batch_id"),
)

# One row per message tried: delivered (status 'verzonden') or not ('mislukt', with the SMTP
# error). A subscriber's next digest covers the data from the `covers_until` of the last
# delivered message, so a failed one is composed again, and sent, on the next run.
digest_log = sa.Table(
    "digest_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
    sa.Column("attempted_at", sa.DateTime, nullable=False),
    sa.Column("covers_from", sa.DateTime, nullable=False),
    sa.Column("covers_until", sa.DateTime, nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("summary", sa.Text, nullable=False, server_default=""),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("error", sa.Text, nullable=False, server_default=""),
    sa.CheckConstraint("status IN ('verzonden', 'mislukt')", name="status"),
    sa.Index("ix_digest_log_email", "email"),
)

# Issue 20: the regiegroep's duiding per KPI and briefing period (cause, effect on the goal,
# bijsturing), versioned like actions: one current row per (area, indicator, period), written
# only by the importer (a duiding file or the KPI page's one-row form), undone per batch.
duiding = sa.Table(
    "duiding",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("area_id", sa.ForeignKey("areas.id"), nullable=False),
    sa.Column("indicator_code", sa.ForeignKey("indicators.code"), nullable=False),
    # The briefing period as users write it: year and quarter, '2026-K4' (kpi.briefing.period).
    sa.Column("period", sa.String(12), nullable=False),
    sa.Column("cause", sa.Text, nullable=False),
    sa.Column("effect", sa.Text, nullable=False),
    sa.Column("bijsturing", sa.Text, nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("written_on", sa.Date, nullable=False),
    sa.Column("illustrative", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("batch_id", sa.ForeignKey("import_batches.id"), nullable=True),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("superseded_at", sa.DateTime, nullable=True),
    sa.Column("superseded_by_batch_id", sa.ForeignKey("import_batches.id"), nullable=True),
    sa.Index(
        "uq_duiding_current",
        "area_id",
        "indicator_code",
        "period",
        unique=True,
        sqlite_where=sa.text("superseded_at IS NULL"),
        postgresql_where=sa.text("superseded_at IS NULL"),
    ),
    sa.Index("ix_duiding_batch", "batch_id"),
)

# A briefing as a record: what it was made from, so that `python -m kpi report --briefing N`
# makes the same document again: the moment whose data it shows, the duiding versions it used
# (duiding.id, a JSON list), the settings that shape it (JSON) and the data version token.
briefings = sa.Table(
    "briefings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("area_id", sa.ForeignKey("areas.id"), nullable=False),
    sa.Column("period", sa.String(12), nullable=False),
    sa.Column("state", sa.String(12), nullable=False),
    sa.Column("made_at", sa.DateTime, nullable=False),
    sa.Column("made_by", sa.String(200), nullable=False, server_default=""),
    sa.Column("data_as_of", sa.DateTime, nullable=False),
    sa.Column("duiding_ids", sa.Text, nullable=False, server_default="[]"),
    sa.Column("settings_json", sa.Text, nullable=False, server_default="{}"),
    sa.Column("data_version", sa.String(32), nullable=False, server_default=""),
    # The concept a definitive briefing was promoted from (migration 0016); once per concept.
    sa.Column("promoted_from", sa.ForeignKey("briefings.id", name="fk_briefings_promoted_from"), nullable=True),
    sa.CheckConstraint("state IN ('concept', 'definitief')", name="state"),
    sa.Index("ix_briefings_area_period", "area_id", "period"),
    sa.Index("uq_briefings_promoted_from", "promoted_from", unique=True),
)

# Sign-in state shared by every app process on one database (behind a proxy a browser without
# the process cookie may reach any process): failed password tries per throttle key (client
# address, account, known browser) and signed-out editor cookies until their expiry. Keys are
# SHA-256 digests, never an address or a cookie in clear. Times are unix seconds.
login_state = sa.Table(
    "login_state",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(12), nullable=False),
    sa.Column("key", sa.String(64), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.CheckConstraint("kind IN ('failure', 'revoked')", name="kind"),
    sa.Index("ix_login_state_kind_key", "kind", "key"),
)
