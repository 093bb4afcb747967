"""FakeSlack driven by a real slack-sdk WebClient, the way the app will call it."""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from tests.fakes import FakeSlack
from tests.support.slack_client import BOT_TOKEN

MODAL = {"type": "modal", "callback_id": "note", "title": {"type": "plain_text", "text": "New note"}, "blocks": []}


def error_of(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(excinfo.value.response["error"])


def test_url_keeps_the_trailing_slash_slack_sdk_needs(fake: FakeSlack) -> None:
    assert fake.url.startswith("http://127.0.0.1:")
    assert fake.url.endswith("/api/")


def test_auth_test_describes_the_bot_and_reports_scopes_in_a_header(fake: FakeSlack, client: WebClient) -> None:
    fake.scopes = ["chat:write", "commands"]
    response = client.auth_test()
    assert response["user_id"] == "UBOT"
    assert response["bot_id"] == "B0001"
    assert response["team_id"] == "T0001"
    assert response["url"] == "https://fieldnotes-test.slack.com/"
    assert response.headers["x-oauth-scopes"] == "chat:write,commands"


def test_post_message_is_stored_and_recorded_with_decoded_blocks(fake: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    response = client.chat_postMessage(
        channel="C0001", text="hi", blocks=blocks, metadata={"event_type": "x", "event_payload": {}}
    )
    assert response["channel"] == "C0001"
    assert response["message"]["text"] == "hi"
    [stored] = fake.messages("C0001")
    assert stored["ts"] == response["ts"]
    assert stored["blocks"] == blocks
    assert stored["user"] == fake.bot_user_id
    [call] = fake.calls_to("chat.postMessage")
    assert call.token == BOT_TOKEN
    assert call.params["blocks"] == blocks
    assert call.params["metadata"] == {"event_type": "x", "event_payload": {}}
    assert call.ok and not call.failed


def test_json_fields_sent_as_form_strings_are_decoded(fake: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "divider"}]
    client.api_call("chat.postMessage", params={"channel": "C0001", "text": "x", "blocks": json.dumps(blocks)})
    assert fake.calls_to("chat.postMessage")[0].params["blocks"] == blocks


def test_multipart_bodies_are_parsed(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("files.upload", files={"file": b"a,b\n"}, data={"channels": "C0001", "filename": "x.csv"})
    assert error_of(excinfo) == "method_deprecated"  # Slack retired files.upload; use files_upload_v2
    [call] = fake.calls_to("files.upload")
    assert call.params == {"channels": "C0001", "filename": "x.csv", "file": b"a,b\n"}


def test_timestamps_follow_the_clock_and_always_increase(client: WebClient) -> None:
    before = time.time()
    first = client.chat_postMessage(channel="C0001", text="a")["ts"]
    second = client.chat_postMessage(channel="C0001", text="b")["ts"]
    assert before - 1 < float(first) < time.time() + 1
    assert float(second) > float(first)
    assert re.fullmatch(r"\d{10}\.\d{6}", second)


def test_update_delete_and_permalink(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C0001", text="draft")["ts"]
    updated = client.chat_update(channel="C0001", ts=ts, text="final")
    assert updated["message"]["text"] == "final"
    assert fake.messages("C0001")[0]["text"] == "final"
    link = client.chat_getPermalink(channel="C0001", message_ts=ts)["permalink"]
    assert link == f"https://fieldnotes-test.slack.com/archives/C0001/p{ts.replace('.', '')}"
    client.chat_delete(channel="C0001", ts=ts)
    assert fake.messages("C0001") == []


def test_the_bot_cannot_edit_someone_elses_message(fake: FakeSlack, client: WebClient) -> None:
    seeded = fake.add_message("C0001", "mine", user="U0001")
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel="C0001", ts=seeded["ts"], text="changed")
    assert error_of(excinfo) == "cant_update_message"


def test_threads_history_and_replies(fake: FakeSlack, client: WebClient) -> None:
    parent = fake.add_message("C0001", "question", user="U0001")
    client.chat_postMessage(channel="C0001", thread_ts=parent["ts"], text="answer")
    client.chat_postMessage(channel="C0001", text="later")
    history = client.conversations_history(channel="C0001")["messages"]
    assert [m["text"] for m in history] == ["later", "question"]
    assert history[1]["reply_count"] == 1
    replies = client.conversations_replies(channel="C0001", ts=parent["ts"])["messages"]
    assert [m["text"] for m in replies] == ["question", "answer"]
    assert [m["text"] for m in fake.thread("C0001", parent["ts"])] == ["question", "answer"]


def test_history_paginates_with_cursors(fake: FakeSlack, client: WebClient) -> None:
    for i in range(5):
        fake.add_message("C0001", f"m{i}", user="U0001")
    first = client.conversations_history(channel="C0001", limit=3)
    assert first["has_more"] is True
    rest = client.conversations_history(channel="C0001", limit=3, cursor=first["response_metadata"]["next_cursor"])
    assert [m["text"] for m in first["messages"] + rest["messages"]] == ["m4", "m3", "m2", "m1", "m0"]
    assert rest["response_metadata"]["next_cursor"] == ""


def test_ephemeral_messages(fake: FakeSlack, client: WebClient) -> None:
    response = client.chat_postEphemeral(channel="C0001", user="U0001", text="only you")
    assert response["message_ts"]
    assert fake.ephemerals == [
        {
            "channel": "C0001",
            "user": "U0001",
            "message_ts": response["message_ts"],
            "thread_ts": None,
            "text": "only you",
        }
    ]
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postEphemeral(channel="C0001", user="UADMIN", text="x")
    assert error_of(excinfo) == "user_not_in_channel"


def test_dms_have_a_stable_id_and_posting_to_a_user_id_lands_there(fake: FakeSlack, client: WebClient) -> None:
    dm = client.conversations_open(users="U0001")["channel"]["id"]
    assert dm.startswith("D")
    assert client.conversations_open(users=["U0001"])["channel"]["id"] == dm
    assert fake.dm_channel_id("U0001") == dm
    response = client.chat_postMessage(channel="U0001", text="psst")
    assert response["channel"] == dm
    assert [m["text"] for m in fake.messages(dm)] == ["psst"]
    assert fake.messages("U0001") == fake.messages(dm)


@pytest.mark.parametrize(
    ("channel", "error"),
    [("CNOPE", "channel_not_found"), ("C0002", "not_in_channel"), ("G0001", "channel_not_found")],
)
def test_posting_where_the_bot_cannot(client: WebClient, channel: str, error: str) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel=channel, text="x")
    assert error_of(excinfo) == error


def test_chat_write_public_lets_the_bot_post_in_public_channels_only(fake: FakeSlack, client: WebClient) -> None:
    fake.scopes = [*fake.scopes, "chat:write.public"]
    client.chat_postMessage(channel="#sales", text="x")
    assert len(fake.messages("C0002")) == 1


def test_join_then_post(fake: FakeSlack, client: WebClient) -> None:
    joined = client.conversations_join(channel="C0002")
    assert joined["channel"]["is_member"] is True
    assert client.conversations_join(channel="C0002")["warning"] == "already_in_channel"
    client.chat_postMessage(channel="C0002", text="hello")
    assert fake.bot_user_id in fake.channel("C0002")["members"]
    assert client.conversations_members(channel="C0002")["members"] == ["U0001", "UBOT"]


def test_conversations_info(client: WebClient) -> None:
    channel = client.conversations_info(channel="C0001", include_num_members=True)["channel"]
    assert channel["name"] == "general"
    assert channel["is_channel"] is True
    assert channel["num_members"] == 3


def test_users_info_lookup_and_list(client: WebClient) -> None:
    user = client.users_info(user="U0002")["user"]
    assert user["tz"] == "Europe/Berlin"
    assert user["tz_offset"] in (3600, 7200)
    assert user["tz_label"] in ("Central European Time", "Central European Summer Time")
    assert user["profile"]["email"] == "mia@example.com"
    assert client.users_lookupByEmail(email="ANA@example.com")["user"]["id"] == "U0001"
    with pytest.raises(SlackApiError) as excinfo:
        client.users_lookupByEmail(email="nobody@example.com")
    assert error_of(excinfo) == "users_not_found"
    admin = client.users_info(user="UADMIN")["user"]
    assert admin["is_admin"] is True and admin["is_owner"] is True
    members = client.users_list(limit=2)
    assert len(members["members"]) == 2 and members["response_metadata"]["next_cursor"]


def test_views_open_update_and_hash_check(fake: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(trigger_id="1.2.abc", view={**MODAL, "private_metadata": "n1"})["view"]
    assert opened["id"].startswith("V") and opened["hash"] and opened["team_id"] == "T0001"
    assert opened["callback_id"] == "note" and opened["private_metadata"] == "n1"
    updated = client.views_update(
        view_id=opened["id"],
        hash=opened["hash"],
        view={**MODAL, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "saved"}}]},
    )["view"]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    assert fake.views[opened["id"]]["blocks"][0]["text"]["text"] == "saved"
    with pytest.raises(SlackApiError) as excinfo:
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=MODAL)
    assert error_of(excinfo) == "hash_conflict"


def test_views_update_by_external_id_and_push(fake: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(trigger_id="t-1", view={**MODAL, "external_id": "note-1"})["view"]
    client.views_update(external_id="note-1", view={**MODAL, "title": {"type": "plain_text", "text": "Edited"}})
    assert fake.views[opened["id"]]["title"]["text"] == "Edited"
    pushed = client.views_push(trigger_id="t-2", view=MODAL)["view"]
    assert pushed["id"] != opened["id"]


def test_an_expired_trigger_id_is_refused(fake: FakeSlack, client: WebClient) -> None:
    fake.expire_trigger("old")
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="old", view=MODAL)
    assert error_of(excinfo) == "expired_trigger_id"


def test_views_open_needs_a_trigger_id(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="", view=MODAL)
    assert error_of(excinfo) == "invalid_trigger_id"


def test_a_trigger_id_is_single_use(client: WebClient) -> None:
    client.views_open(trigger_id="once", view=MODAL)
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="once", view=MODAL)
    assert error_of(excinfo) == "exchanged_trigger_id"


def test_views_enforce_slack_limits(client: WebClient) -> None:
    too_many = [{"type": "divider"}] * 101
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="t", view={**MODAL, "blocks": too_many})
    assert error_of(excinfo) == "invalid_arguments"
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C0001", text="x", blocks=[{"type": "divider"}] * 51)
    assert error_of(excinfo) == "invalid_blocks"


def test_views_publish_keeps_one_home_per_user(fake: FakeSlack, client: WebClient) -> None:
    home = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "v1"}}]}
    first = client.views_publish(user_id="U0001", view=home)["view"]
    second = client.views_publish(user_id="U0001", view={"type": "home", "blocks": []})["view"]
    assert first["id"] == second["id"]
    assert fake.home_view("U0001") == second
    assert fake.home_view("U0002") is None


def test_files_upload_v2_end_to_end(fake: FakeSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C0001", text="weekly digest")["ts"]
    response = client.files_upload_v2(
        channel="C0001",
        thread_ts=parent,
        content="theme,count\npricing,3\n",
        filename="themes.csv",
        title="Themes",
        initial_comment="here you go",
    )
    assert response["files"][0]["name"] == "themes.csv"
    uploaded = fake.file_named("themes.csv")
    assert uploaded.text == "theme,count\npricing,3\n"
    assert (uploaded.channel_id, uploaded.thread_ts, uploaded.initial_comment, uploaded.title) == (
        "C0001",
        parent,
        "here you go",
        "Themes",
    )
    assert [m.get("text") for m in fake.thread("C0001", parent)] == ["weekly digest", "here you go"]
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    client.files_upload_v2(channel="C0001", content=png, filename="chart.png")
    assert fake.file_named("chart.png").content == png
    assert [c.method for c in fake.calls][-2:] == ["files.getUploadURLExternal", "files.completeUploadExternal"]


def test_rate_limit_then_retry_succeeds(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=0)
    assert client.chat_postMessage(channel="C0001", text="x")["ok"] is True
    calls = fake.calls_to("chat.postMessage")
    assert [(c.failed, c.status) for c in calls] == [(True, 429), (False, 200)]
    assert len(fake.messages("C0001")) == 1


def test_server_errors_then_retry_succeeds(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("users.info", status=503, times=2)
    assert client.users_info(user="U0001")["user"]["name"] == "ana"
    assert [c.status for c in fake.calls_to("users.info")] == [503, 503, 200]


def test_failures_beyond_the_retries_reach_the_caller(fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=30)
    with pytest.raises(SlackApiError) as excinfo:
        WebClient(token=BOT_TOKEN, base_url=fake.url).chat_postMessage(channel="C0001", text="x")
    assert excinfo.value.response.status_code == 429
    assert excinfo.value.response.headers["Retry-After"] == "30"
    assert error_of(excinfo) == "ratelimited"


def test_injected_api_error(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", error="not_in_channel")
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C0001", text="x")
    assert error_of(excinfo) == "not_in_channel"
    assert fake.calls_to("chat.postMessage")[0].failed is True
    assert client.chat_postMessage(channel="C0001", text="x")["ok"] is True


def test_unknown_methods_are_answered_and_recorded(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("reactions.add", params={"channel": "C0001", "name": "eyes"})
    assert error_of(excinfo) == "unknown_method"
    assert fake.calls_to("reactions.add")[0].params == {"channel": "C0001", "name": "eyes"}


def test_route_answers_a_method_the_fake_does_not_know(fake: FakeSlack, client: WebClient) -> None:
    fake.route("reactions.add", lambda params, token: {"ok": True})
    assert client.reactions_add(channel="C0001", name="eyes", timestamp="1.2")["ok"] is True


def test_tokens_are_required_and_can_be_checked(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        WebClient(base_url=fake.url).auth_test()
    assert error_of(excinfo) == "not_authed"
    with FakeSlack(valid_tokens={"xoxb-good"}) as strict:
        assert WebClient(token="xoxb-good", base_url=strict.url).auth_test()["ok"]
        with pytest.raises(SlackApiError) as excinfo:
            WebClient(token="xoxb-bad", base_url=strict.url).auth_test()
        assert error_of(excinfo) == "invalid_auth"


def test_oauth_v2_access_issues_a_bot_token_once_per_code(fake: FakeSlack) -> None:
    client = WebClient(base_url=fake.url)
    installed = client.oauth_v2_access(client_id="111.222", client_secret="s", code="c1")
    assert installed["access_token"].startswith("xoxb-")
    assert installed["bot_user_id"] == "UBOT" and installed["team"]["id"] == "T0001"
    assert installed["authed_user"]["id"] == "U0001"
    with pytest.raises(SlackApiError) as excinfo:
        client.oauth_v2_access(client_id="111.222", client_secret="s", code="c1")
    assert error_of(excinfo) == "invalid_code"


def test_team_info(client: WebClient) -> None:
    team = client.team_info()["team"]
    assert (team["id"], team["name"], team["domain"]) == ("T0001", "Field Notes Test", "fieldnotes-test")


def test_response_urls_record_what_is_posted_up_to_five_times(fake: FakeSlack) -> None:
    url = fake.response_url("cmd")
    assert url.endswith("/response/cmd")
    webhook = WebhookClient(url)
    for i in range(5):
        assert webhook.send(text=f"reply {i}", response_type="ephemeral").status_code == 200
    assert webhook.send(text="one too many").status_code == 404
    assert fake.responses[0] == ("cmd", {"text": "reply 0", "response_type": "ephemeral"})
    assert len(fake.wait_for_responses(5)) == 5


def test_reset_calls_and_wait_for_calls(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    fake.reset_calls()
    assert fake.calls == []
    with pytest.raises(AssertionError, match="expected 1 call"):
        fake.wait_for_calls("chat.postMessage", timeout=0.05)


def test_concurrent_posts_get_unique_timestamps(fake: FakeSlack, client: WebClient) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: client.chat_postMessage(channel="C0001", text=str(i))["ts"], range(40)))
    assert len(set(results)) == 40
    assert len(fake.messages("C0001")) == 40
