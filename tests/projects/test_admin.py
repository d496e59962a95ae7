"""The project admin, for platform admins who correct data: what they save there gives the
same grants as the portal's services, and partners leave through the portal only."""

import pytest
from django.contrib.auth import get_user_model

from projects import permissions
from projects.models import Project, Submission
from tests.shared import module_world
from tests.world import build_world

pytestmark = pytest.mark.django_db


built_world, world = module_world(build_world)


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root@example.com", "x"))
    return client


def _form_data(response):
    """The admin change form's data as shown: the model's fields and every inline's forms."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = [str(v) for v in value] if isinstance(value, list) else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for subform in formset.forms:
            for name in subform.fields:
                value = subform[name].value()
                if value is not None and value is not False:
                    data[subform.add_prefix(name)] = value
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_a_submission_added_in_the_admin_gives_the_pole_staff_their_grants(admin_client, world):
    draft, pole, staff = world["projects"]["draft"], world["poles"]["own"], world["people"]["staff"]
    assert not permissions.may_view_confidential(staff, draft)
    url = f"/admin/projects/project/{draft.pk}/change/"
    data = _form_data(admin_client.get(url))
    prefix = "submissions"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": total + 1,
            f"{prefix}-{total}-project": draft.pk,
            f"{prefix}-{total}-pole": pole.pk,
            f"{prefix}-{total}-decision": Submission.Decision.PENDING,
            f"{prefix}-{total}-submitted_at_0": "2026-11-02",
            f"{prefix}-{total}-submitted_at_1": "10:00:00",
        }
    )
    response = admin_client.post(url, data)
    errors = response.context and [
        f.errors for i in response.context["inline_admin_formsets"] for f in i.formset.forms
    ] + [response.context["adminform"].form.errors]
    assert response.status_code == 302, errors
    assert draft.submissions.filter(pole=pole).exists()
    assert permissions.may_view_confidential(staff, Project.objects.get(pk=draft.pk))


def test_partners_are_not_deleted_in_the_admin(admin_client, world):
    funded = world["projects"]["funded"]
    html = admin_client.get(f"/admin/projects/project/{funded.pk}/change/").content.decode()
    assert "partners-0-DELETE" not in html
