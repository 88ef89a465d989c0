"""In-app notices: each account reads only its own; opening one marks it read and follows its
link, which stays on this site."""

from __future__ import annotations

from socorg.core.models import Notice
from socorg.core.notices import notice_send
from tests import factories as f


def test_notices_page_shows_only_the_readers_own_notices(
    client, city_registrar, org_account
) -> None:
    notice_send(recipients=[org_account], title="请按时报送年度报告", link="/")
    notice_send(recipients=[city_registrar], title="登记员自己的通知")
    html = f.login(client, org_account).get("/notices/").content.decode()
    assert "请按时报送年度报告" in html and "登记员自己的通知" not in html


def test_top_bar_counts_unread_notices(client, org_account) -> None:
    notice_send(recipients=[org_account], title="一")
    notice_send(recipients=[org_account], title="二")
    html = f.login(client, org_account).get("/notices/").content.decode()
    assert 'data-unread="2"' in html


def test_opening_a_notice_marks_it_read_and_follows_its_link(client, org_account) -> None:
    notice_send(recipients=[org_account], title="提醒", link="/notices/?from=reminder")
    notice = Notice.objects.get(recipient=org_account)
    response = f.login(client, org_account).post("/notices/open/", {"notice": notice.pk})
    assert response.status_code == 302 and response["Location"] == "/notices/?from=reminder"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_notice_never_links_off_the_site(client, org_account) -> None:
    notice_send(recipients=[org_account], title="提醒", link="//evil.example/x")
    notice = Notice.objects.get(recipient=org_account)
    response = f.login(client, org_account).post("/notices/open/", {"notice": notice.pk})
    assert response["Location"].startswith("/notices/")


def test_nobody_opens_another_accounts_notice(client, city_registrar, org_account) -> None:
    notice_send(recipients=[org_account], title="提醒")
    notice = Notice.objects.get(recipient=org_account)
    response = f.login(client, city_registrar).post("/notices/open/", {"notice": notice.pk})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is None
