"""Data corrections through the pages: propose, worklists, approve, reject, stale clicks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from socorg.registry.models import CorrectionState, DataCorrection, EventKind
from socorg.registry.services.corrections import correction_propose
from tests.factories import login

LIST = reverse("registry:correction_list")


def propose_url(org) -> str:
    return reverse("registry:correction_propose", args=[org.uscc])


def detail_url(correction) -> str:
    return reverse("registry:correction_detail", args=[correction.pk])


def transition_url(correction) -> str:
    return reverse("registry:correction_transition", args=[correction.pk])


@pytest.fixture
def proposal(city, city_registrar) -> DataCorrection:
    return correction_propose(
        actor=city_registrar,
        organization=city.city_org,
        changes={"domicile": "日照市东港区海滨五路1号"},
        reason="与登记档案不一致",
    )


def test_propose_form_shows_current_values(client, city, city_registrar) -> None:
    response = login(client, city_registrar).get(propose_url(city.city_org))
    assert response.status_code == 200
    body = response.content.decode()
    assert "日照市东港区测试路1号" in body  # current domicile
    assert "更正理由" in body


def test_propose_then_approve_through_the_pages(
    client, city, city_registrar, division_head
) -> None:
    response = login(client, city_registrar).post(
        propose_url(city.city_org),
        {
            "fields_to_change": ["domicile"],
            "new_domicile": "日照市东港区海滨五路1号",
            "reason": "与登记档案不一致",
        },
    )
    correction = DataCorrection.objects.get(organization=city.city_org)
    assert response.status_code == 302 and response["Location"] == detail_url(correction)

    worklist = login(client, division_head).get(LIST)
    assert [c.pk for c in worklist.context["page"].rows] == [correction.pk]
    detail = client.get(detail_url(correction)).content.decode()
    assert "日照市东港区测试路1号" in detail and "日照市东港区海滨五路1号" in detail
    assert 'name="expected_state" value="proposed"' in detail

    done = client.post(
        transition_url(correction),
        {"action": "approve", "expected_state": "proposed", "comment": "同意"},
        follow=True,
    )
    assert "已批准" in done.content.decode()
    city.city_org.refresh_from_db()
    assert city.city_org.domicile == "日照市东港区海滨五路1号"
    assert city.city_org.events.filter(kind=EventKind.DOMICILE_CHANGED).exists()
    assert "同意" in done.content.decode()  # the history shows the comment


def test_propose_requires_a_reason_and_a_field(client, city, city_registrar) -> None:
    response = login(client, city_registrar).post(propose_url(city.city_org), {"reason": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "请填写更正理由。" in body and "请至少选择一个要更正的字段。" in body
    assert not DataCorrection.objects.exists()


def test_propose_same_value_is_refused_inline(client, city, city_registrar) -> None:
    response = login(client, city_registrar).post(
        propose_url(city.city_org),
        {
            "fields_to_change": ["domicile"],
            "new_domicile": city.city_org.domicile,
            "reason": "核对",
        },
    )
    assert "更正内容与现有登记信息相同" in response.content.decode()
    assert not DataCorrection.objects.exists()


def test_propose_invalid_value_is_refused_next_to_the_field(client, city, city_registrar) -> None:
    response = login(client, city_registrar).post(
        propose_url(city.city_org),
        {
            "fields_to_change": ["established_on", "name"],
            "new_established_on": "2015-02-30",
            "new_name": "",
            "reason": "核对",
        },
    )
    form = response.context["form"]
    assert "new_established_on" in form.errors and "new_name" in form.errors
    assert "请填写更正后的值。" in response.content.decode()
    assert not DataCorrection.objects.exists()


def test_only_registrars_may_propose(client, city, division_head) -> None:
    assert login(client, division_head).get(propose_url(city.city_org)).status_code == 403


def test_registrar_worklist_shows_own_proposals(
    client, city, city_registrar, donggang_registrar, proposal
) -> None:
    mine = login(client, city_registrar).get(LIST)
    assert [c.pk for c in mine.context["page"].rows] == [proposal.pk]
    other = login(client, donggang_registrar).get(LIST, {"view": "all"})
    assert list(other.context["page"].rows) == []


def test_correction_outside_scope_is_not_found(client, city, lanshan_registrar, proposal) -> None:
    assert login(client, lanshan_registrar).get(detail_url(proposal)).status_code == 404


def test_liaison_has_no_correction_worklist(client, city, edu_liaison) -> None:
    assert login(client, edu_liaison).get(LIST).status_code == 403


def test_reject_without_comment_shows_an_inline_error(
    client, city, division_head, proposal
) -> None:
    response = login(client, division_head).post(
        transition_url(proposal),
        {"action": "reject", "expected_state": "proposed", "comment": "  "},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "执行“驳回”需要填写意见。" in body and "is-invalid" in body
    proposal.refresh_from_db()
    assert proposal.state == CorrectionState.PROPOSED


def test_stale_click_shows_the_message_and_rerenders(client, city, division_head, proposal) -> None:
    client = login(client, division_head)
    client.post(transition_url(proposal), {"action": "approve", "expected_state": "proposed"})
    response = client.post(
        transition_url(proposal),
        {"action": "reject", "expected_state": "proposed", "comment": "不同意"},
        follow=True,
    )
    assert response.status_code == 200
    assert "该事项已被他人处理" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == CorrectionState.APPROVED


def test_detail_offers_only_the_users_actions(
    client, city, city_registrar, division_head, proposal
) -> None:
    head = login(client, division_head).get(detail_url(proposal))
    assert [a.name for a in head.context["detail"].actions] == ["approve", "reject"]
    registrar = login(client, city_registrar).get(detail_url(proposal))
    assert [a.name for a in registrar.context["detail"].actions] == ["withdraw"]


def test_detail_shows_the_deadline(client, city, division_head, proposal) -> None:
    response = login(client, division_head).get(detail_url(proposal))
    deadline = response.context["detail"].deadline
    assert deadline is not None
    assert deadline.due_on.strftime("%Y-%m-%d") in response.content.decode()


def test_registrar_withdraws_own_proposal(client, city, city_registrar, proposal) -> None:
    response = login(client, city_registrar).post(
        transition_url(proposal), {"action": "withdraw", "expected_state": "proposed"}, follow=True
    )
    assert "已撤回" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == CorrectionState.WITHDRAWN


def test_transition_needs_post(client, city, division_head, proposal) -> None:
    assert login(client, division_head).get(transition_url(proposal)).status_code == 405
