"""The Paper plan page in a real browser: a paper's card beside its dated plan (`streamlit run` + headless Chromium).

Reuses the server and browser fixtures of tests/test_browser.py. Saves test-artifacts/browser-paper.png.
"""

from __future__ import annotations

import time

import pytest

from .test_browser import ARTIFACTS, browser, server  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_browser_paper_page_shows_the_card_beside_the_plan(server, browser):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    url, log = server
    browser.get(f"{url}/paper")
    title = WebDriverWait(browser, 60).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, 'input[aria-label="Paper title"]')))
    title.send_keys("Deep Residual Learning for Image Recognition")
    button = next(b for b in browser.find_elements(By.TAG_NAME, "button") if b.text == "Plan the implementation")
    button.click()
    try:  # the first plan also loads the model in the server
        card = WebDriverWait(browser, 180).until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".st-key-paper-card")))
        WebDriverWait(browser, 60).until(EC.presence_of_element_located((By.CSS_SELECTOR, '[data-testid="stDataFrame"]')))
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "browser-paper-failure.png"))
        raise AssertionError(f"no paper card appeared; server log:\n{log.read_text(errors='replace')[-2000:]}")
    time.sleep(1)  # let the last pieces paint
    text = card.text
    assert "From the paper catalogue" in text and "Deep Residual Learning for Image Recognition (2015)" in text
    assert "⬜ deep learning" in text and "⬜ VGG" in text  # nothing ticked: the learner gave no skills
    assert "CIFAR-10 (start here)" in text and "8.75% (Table 6)" in text and "Laptop CPU" in text
    assert not card.find_elements(By.CSS_SELECTOR, "a[href^=\"http\"]")  # the card's addresses are text, never links
    page = browser.find_element(By.TAG_NAME, "body").text
    plan = browser.find_element(By.CSS_SELECTOR, '[data-testid="stDataFrame"]')
    assert plan.location["x"] > card.location["x"] + card.size["width"] / 2  # the plan sits beside the card
    assert browser.find_elements(By.CSS_SELECTOR, "div.mentor-source") and "Traceback" not in page
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "browser-paper.png"))
