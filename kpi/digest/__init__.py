"""The digest (issue 22): who subscribes, what changed for them, the mail and its log.

- `subscribers`: the stored subscribers (versioned; written only by the importer; the
  page's form and the unsubscribe link are one-row imports in kpi.importer.forms);
- `compose`: what changed for one subscriber since the last delivered digest, in Dutch
  (plain text and escaped HTML), from kpi.changes, kpi.service and kpi.werkplan;
- `mail`: the message and SMTP (smtplib);
- `run`: one run over all subscribers: compose, send, log (`python -m kpi digest`).

This module imports nothing, so the importer can use `kpi.digest.subscribers` without a circle.
"""
