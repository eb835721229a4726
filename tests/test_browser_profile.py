"""The personal mentor end to end, in English and in Chinese: set the profile → plan → check a milestone →
reload → progress and conversation still there → "what next?" reflects the checked milestone.

Walked twice: with Streamlit's AppTest (a reload is a new AppTest session) and in a real headless Chromium
against `streamlit run` (a reload is the browser's). Profiles go to the session index's MENTOR_HOME, under a
learner name of the test's own (MENTOR_LEARNER).
"""

from __future__ import annotations

import uuid

import pytest
from streamlit.testing.v1 import AppTest

from .test_browser import ARTIFACTS, app_over_index, browser  # noqa: F401 (a fixture)
from .test_app import APP, app_env  # noqa: F401 (a fixture)

pytestmark = pytest.mark.slow

WALK = {  # language → the milestone checked, the question before the reload, "what next?", what the answer shows
    "en": ("Finished Andrew Ng's Machine Learning Specialization (or an equivalent course).", "How much math do I need?",
           "What should I learn next?", "You have checked off: Finished Andrew Ng's Machine Learning Specialization",
           "Your next milestone: Submitted your own solution to a Kaggle competition", "Open the Learning plan page"),
    "zh": ("学完吴恩达的机器学习专项课程（或同等课程）。", "需要多少数学？", "接下来我应该学什么？",
           "你已经完成：学完吴恩达的机器学习专项课程", "你的下一个里程碑：在 Kaggle 比赛中提交了自己写的方案", "打开“学习计划”页面"),
}
NEXT_MILESTONE = {"en": "Submitted your own solution to a Kaggle competition.", "zh": "在 Kaggle 比赛中提交了自己写的方案。"}
# The page's flag line, not the checkbox of the same name: that label shows as soon as the stage is opened, before the
# click is saved, and navigating away that early lost the check (a flaky run).
NEXT_FLAG = {"en": f"Next milestone: {NEXT_MILESTONE['en']}", "zh": f"下一个里程碑: {NEXT_MILESTONE['zh']}"}


def session(language: str, page: str = "ask") -> AppTest:
    """A new browser session (a reload) in `language`, on `page`."""
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.segmented_control(key="language").set_value(language).run()
    if page != "ask":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_apptest_walk_profile_plan_milestone_reload_next(app_env, language):
    milestone, before, question, checked, upcoming, hint = WALK[language]
    at = session(language, "plan")
    at.checkbox(key="know-python").check()
    at.number_input(key="plan-hours").set_value(12.0)
    at.button(key="plan-submit").click().run()
    assert not at.exception, at.exception
    assert "six-month" in markdown(at).lower() or "六个月" in markdown(at)  # the guide's estimate, named
    at.checkbox(key="check-milestone:classic-ml:0").check().run()
    assert NEXT_MILESTONE[language] in " ".join(i.value for i in at.info)
    at.switch_page("app_pages/ask.py").run()
    at.chat_input(key="question").set_value(before).run()
    assert not at.exception, at.exception

    again = session(language, "plan")  # the reload: a new session
    progress = next(d.value for d in again.dataframe if d.value.shape[0] == 8)
    assert list(progress.iloc[1, 1:]) == [1, 2] and list(progress.iloc[0, 1:]) == [2, 2]  # classic ML 1/2, Python 2/2
    assert again.number_input(key="plan-hours").value == 12.0 and again.checkbox(key="know-python").value
    assert NEXT_MILESTONE[language] in " ".join(i.value for i in again.info)
    again.switch_page("app_pages/ask.py").run()
    assert before.replace("?", "\\?") in markdown(again) or before in markdown(again)  # the conversation is back
    again.chat_input(key="question").set_value(question).run()
    assert not again.exception, again.exception
    answer = [m.value for m in again.markdown if upcoming.split("：")[0].split(":")[0] in m.value][-1]
    for part in (checked, upcoming, hint):
        assert part.replace("(", "\\(") in answer or part in answer, (part, answer)


def test_apptest_followups_work_across_a_reload_and_conversations_can_be_reopened_or_deleted(app_env):
    first = session("zh")
    first.chat_input(key="question").set_value("学完 Python 之后我应该学什么？").run()
    again = session("zh")  # the reload
    again.chat_input(key="question").set_value("那数学呢？").run()
    assert again.session_state["messages"][-1]["resolved"] == "学完 Python 之后我应该学什么？ 那数学呢？"
    conversation = again.session_state["conversation"]
    again.sidebar.button(key="new-chat").click().run()
    again.chat_input(key="question").set_value("What is CS50?").run()
    assert len(again.chat_message) == 2
    again.sidebar.button(key=f"open-{conversation}").click().run()
    assert len(again.chat_message) == 4  # the earlier conversation, reopened
    again.sidebar.button(key=f"delete-{conversation}").click().run()
    assert not any(b.key == f"open-{conversation}" for b in again.sidebar.button) and len(again.chat_message) == 0


def test_apptest_chat_confirms_a_finished_course_before_recording_it(app_env):
    at = session("en")
    at.chat_input(key="question").set_value("I finished Andrew Ng's course").run()
    assert "Did you finish “Finished Andrew Ng's Machine Learning Specialization" in markdown(at)
    assert not session("en", "plan").info  # nothing recorded yet: no plan, no progress shown
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("done-yes-"))).click().run()
    assert any("Recorded" in s.value for s in at.success)
    at.chat_input(key="question").set_value("What should I learn next?").run()
    assert "You have checked off: Finished Andrew Ng" in markdown(at)


@pytest.fixture
def profile_server(corpus_index, tmp_path):
    """`streamlit run app.py` with this test's own default learner."""
    with app_over_index(corpus_index, tmp_path, f"browser-{uuid.uuid4().hex[:8]}") as served:
        yield served


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "zh"])
def test_browser_walk_profile_plan_milestone_reload_next(profile_server, browser, language):  # noqa: F811
    chromium = browser
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    url, log = profile_server
    milestone, before, question, checked, upcoming, hint = WALK[language]
    page_text = lambda: chromium.find_element(By.TAG_NAME, "body").text  # noqa: E731

    def wait_for(text: str, seconds: float = 180) -> None:
        try:
            WebDriverWait(chromium, seconds).until(lambda b: text in page_text())
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            chromium.save_screenshot(str(ARTIFACTS / f"browser-profile-{language}.png"))
            raise AssertionError(f"{text!r} never showed; server log:\n{log.read_text(errors='replace')[-2000:]}")

    def click(xpath: str) -> None:
        element = WebDriverWait(chromium, 120).until(lambda b: b.find_element(By.XPATH, xpath))
        chromium.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def open_page(slug: str) -> None:  # a new session each time, as a reload or a new visit is
        chromium.get(f"{url}/{'' if slug == 'ask' else slug}")
        wait_for("mentor")
        if language != "en":
            click("//*[@data-testid='stSidebar']//button[normalize-space(.)='中文']")

    def ask(text: str, expect: str) -> None:
        box = WebDriverWait(chromium, 180).until(
            EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="stChatInputTextArea"]')))
        box.send_keys(text)
        box.send_keys(Keys.ENTER)
        wait_for(expect)

    known, make, progress = {"en": ("Python", "Make my plan", "Progress"), "zh": ("Python", "生成我的计划", "进度")}[language]
    stage = {"en": "Classic (shallow) machine learning", "zh": "在表格数据上学习经典"}[language]
    open_page("plan")
    click(f"//label[normalize-space(.)='{known}']")
    click(f"//button[normalize-space(.)='{make}']")
    wait_for(progress)
    click(f"//summary[contains(., '{stage}')]")
    click(f"//label[normalize-space(.)=\"{milestone}\"]")
    wait_for(NEXT_FLAG[language])  # the check is saved
    open_page("ask")
    ask(before, "[1]")

    chromium.refresh()  # the reload: a new session of the same learner
    open_page("plan")
    wait_for(NEXT_FLAG[language])  # the progress is still there
    open_page("ask")
    wait_for(before)  # so is the conversation
    ask(question, upcoming)
    wait_for(hint)  # the answer streams in, its hint last: read the page once it is all there
    body = page_text()
    assert checked in body and hint in body and "Traceback" not in body
    ARTIFACTS.mkdir(exist_ok=True)
    chromium.save_screenshot(str(ARTIFACTS / f"browser-profile-{language}.png"))
