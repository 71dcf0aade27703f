"""The council briefing as a record (issue 20): the regiegroep's duiding per KPI and period, and
briefings made as concept or definitief. `model` holds the shapes the documents read; storage and
rules live beside it."""
