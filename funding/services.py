from django.db import transaction

from projects import permissions as project_permissions

from .models import FundingLine
from .permissions import sync_funder


@transaction.atomic
def record_funding_line(*, project, partner, funder, **fields):
    line = FundingLine(project=project, partner=partner, funder=funder, **fields)
    line.full_clean()
    line.save()
    project_permissions.sync_project(project)
    return line


@transaction.atomic
def add_reviewer(funder, person):
    funder.reviewers.add(person)
    sync_funder(funder)
