"""How soon the app is usable in a real browser: the chat input box after the page opens on a freshly started
server (the model not loaded yet, warming in the background), then the first cited answer.

The figures are recorded, not asserted (no wall-clock limits in tests): test-artifacts/browser-speed.json,
which the benchmark (`python -m bench.run --part embedders`) runs this test to fill and reports against its
target. What is asserted: the box appears, takes a question and the answer that comes back cites sources.
"""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest

from rag.config import Settings
from tests.test_browser import ARTIFACTS, QUESTION, browser, require_browser, server  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
RECORD = ARTIFACTS / "browser-speed.json"
INPUT_BOX = '[data-testid="stChatInputTextArea"]'


def seconds_until(browser, condition, timeout: float = 120) -> float:
    from selenium.webdriver.support.ui import WebDriverWait

    started = time.perf_counter()
    WebDriverWait(browser, timeout, poll_frequency=0.05).until(condition)
    return time.perf_counter() - started


def test_the_input_box_is_ready_while_the_model_warms_and_the_time_is_recorded(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC

    require_browser()
    url, log = server
    started = time.perf_counter()
    browser.get(url)  # the first page of a server that has not loaded the model yet
    box_s = time.perf_counter() - started + seconds_until(
        browser, EC.element_to_be_clickable((By.CSS_SELECTOR, INPUT_BOX)))
    box = browser.find_element(By.CSS_SELECTOR, INPUT_BOX)
    box.send_keys(QUESTION)
    box.send_keys(Keys.ENTER)
    answer_s = seconds_until(browser, EC.visibility_of_all_elements_located((By.CSS_SELECTOR, "div.mentor-source")), 180)
    page = browser.find_element(By.TAG_NAME, "body").text
    assert QUESTION in page and "Sources" in page and "Traceback" not in page, log.read_text(errors="replace")[-2000:]

    started = time.perf_counter()
    browser.get(url)  # a new session on the same server, the model loaded
    again_s = time.perf_counter() - started + seconds_until(
        browser, EC.element_to_be_clickable((By.CSS_SELECTOR, INPUT_BOX)))

    ARTIFACTS.mkdir(exist_ok=True)
    RECORD.write_text(json.dumps({
        "measured_at": datetime.now().isoformat(timespec="seconds"),
        "input_box_s": round(box_s, 2),  # page opened → chat input clickable, the model still warming
        "first_answer_s": round(answer_s, 2),  # question sent → its source cards shown (waits for the warm-up)
        "input_box_loaded_s": round(again_s, 2),  # the same for a second session, the model loaded
        "embedder": Settings().embedder,  # the server runs the default embedder
    }, indent=1), encoding="utf-8")
