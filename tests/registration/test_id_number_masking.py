"""Resident ID numbers are personal data: the registrar and the division head, who vet
principals, read them in full; every other role reads them masked (3711**********001X), on the
application page and wherever the template filter ``id_numbers_for`` shows a text."""

from __future__ import annotations

import pytest

from socorg.core import access
from socorg.core.models import Role, User
from socorg.core.workflow import fire
from socorg.registration.models import Application
from socorg.registration.processes import APPLICATION
from tests import factories as f
from tests.registration.conftest import FOUNDER_ID, submitted_establishment

pytestmark = pytest.mark.usefixtures("rule_params", "upload_dir")

MASKED = FOUNDER_ID[:4] + "*" * 10 + FOUNDER_ID[-4:]


@pytest.fixture
def accepted(city, founder, approval_clerk) -> Application:
    app = submitted_establishment(founder)
    fire(process=APPLICATION, key=app.pk, action="accept", actor=approval_clerk)
    return app


def _page(client, user: User, app: Application) -> str:
    client.force_login(user)
    response = client.get(f"/registration/applications/{app.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_mask_keeps_the_first_and_last_four_characters() -> None:
    assert access.mask_id_numbers("王海 37110219800101001X 会长") == "王海 3711**********001X 会长"
    # Longer digit runs (credit codes, phone numbers) are not ID numbers and stay as they are.
    assert access.mask_id_numbers("0633-7429037 123456789012345678901") == (
        "0633-7429037 123456789012345678901"
    )


@pytest.mark.parametrize("username", ["city_registrar", "division_head"])
def test_registrar_and_division_head_read_full_id_numbers(
    client, city, city_registrar, division_head, accepted, username
) -> None:
    page = _page(client, User.objects.get(username=username), accepted)
    assert FOUNDER_ID in page and MASKED not in page


@pytest.mark.parametrize("username", ["approval_clerk", "edu_liaison", "founder", "director"])
def test_other_roles_read_id_numbers_masked(client, city, edu_liaison, accepted, username) -> None:
    f.user("director", Role.DIRECTOR, jurisdiction=city.city)
    page = _page(client, User.objects.get(username=username), accepted)
    assert MASKED in page and FOUNDER_ID not in page


def test_read_only_view_drops_the_entry_instruction_from_labels(
    client, city, city_registrar, accepted
) -> None:
    page = _page(client, city_registrar, accepted)
    assert "拟任负责人" in page and "每行：" not in page


def test_english_read_only_view_drops_the_entry_instruction_too(
    client, city, city_registrar, accepted
) -> None:
    client.cookies["django_language"] = "en"
    page = _page(client, city_registrar, accepted)
    assert "Proposed principals" in page and "one per line" not in page
