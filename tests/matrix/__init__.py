"""The permission matrix, as data: one module per feature, each with

- ``ROWS``: ``(name, method, path template, object, leader, member, staff, funder, expert,
  outsider)``, where each role gets FULL, SUMM, OK or NF;
- ``BODIES``: the body to send for a row's name, if any;
- ``build(world)``, optional: adds the objects its rows need to the world, under
  ``world["extra"]["<project>:<name>"]`` (then ``{draft:milestone}`` in a path is its pk).

Path templates name objects of ``tests.world``: ``{draft}``, ``{draft:member_partner}``,
``{draft:coordinator}``, ``{submitted:submission}``, ``{org:member}``, ``{pole:own}``.
To add a feature, write its module and add it to ``FEATURES`` below.
"""

FULL = "full"  # 200, with the confidential part
SUMM = "summary"  # 200, the public summary only
OK = "ok"  # the action is allowed (2xx or a redirect after a POST)
NF = 404

from . import (  # noqa: E402
    audit,
    consortium,
    core,
    directory,
    documents,
    exports,
    funding,
    funding_dashboard,
    history,
    impact,
    imports,
    labelling,
    launches,
    memberships,
    milestones,
    notifications,
    pdfs,
    report_api,
    reports,
    tokens,
)

FEATURES = [
    core,
    history,
    notifications,
    milestones,
    documents,
    labelling,
    consortium,
    exports,
    funding_dashboard,
    imports,
    directory,
    memberships,
    funding,
    report_api,
    launches,
    reports,
    impact,
    pdfs,
    tokens,
    audit,
]

ROWS = [row for feature in FEATURES for row in feature.ROWS]
BODIES = {name: body for feature in FEATURES for name, body in feature.BODIES.items()}
BUILDERS = [feature.build for feature in FEATURES if hasattr(feature, "build")]
