"""Pins what `tests.fakes` exports, so other test suites can rely on it."""

import tests.fakes


def test_public_api() -> None:
    assert set(tests.fakes.__all__) == {
        "DEFAULT_SCOPES",
        "AsgiServer",
        "BoltServer",
        "Call",
        "FakeFile",
        "FakeSlack",
        "FakeSocketMode",
        "SlackApiError",
        "SlackSender",
        "bolt_asgi_app",
        "checkboxes_value",
        "conversation_value",
        "date_value",
        "multi_select_value",
        "plain_text_value",
        "sign",
        "static_select_value",
        "user_value",
    }
    for name in tests.fakes.__all__:
        assert getattr(tests.fakes, name) is not None
