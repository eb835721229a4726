"""Corpus text is data, in a real browser: a chunk whose `\\r\\r` once ended the source card's HTML block, with
Markdown after it (an image and a link to another host, bold, a raw <img>), shows as text, and the page sends
no request to that host.

The other host is a loopback listener on its own port that counts every request it gets; the browser's
resource-timing entries are checked too. Uses the helpers of tests/test_browser.py (needs Chromium).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rag.config import Settings
from rag.index.indexer import sync_index

from .test_browser import ARTIFACTS, browser, require_browser, running_app  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTION = "How do I practise machine learning on Kaggle competitions?"
TITLE = "Practising on Kaggle"


class Listener(ThreadingHTTPServer):
    """A loopback web server that must never be asked for anything: it records every request."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server name)
                listener.requests.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def other_host():
    server = Listener()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def hostile_note(base: str) -> str:
    return (f'---\nid: kaggle-practice\ntitle: "{TITLE}"\nurl: "https://example.org/kaggle-practice"\nkind: site\n'
            "lang: [en]\n---\n\n## English\n"
            "Kaggle competitions are the best way to practise machine learning on real data.\r\r"
            f"![pixel]({base}/pixel.png) **bold claim** [click here]({base}/link) <img src=\"{base}/raw.png\"> "
            "Entering Kaggle competitions teaches you to practise machine learning end to end.\n")


@pytest.fixture
def hostile_server(tmp_path, small_corpus, model_dir, embeddings, other_host):
    """`streamlit run app.py` over an index of a small corpus holding the hostile note; stopped afterwards."""
    require_browser()
    base = f"http://127.0.0.1:{other_host.server_address[1]}"
    (small_corpus / "notes" / "kaggle-practice.md").write_bytes(hostile_note(base).encode("utf-8"))
    settings = replace(Settings(), home=tmp_path / "home", corpus_dir=small_corpus, model_dir=model_dir)
    sync_index(settings, embeddings)
    log = tmp_path / "streamlit.log"
    with running_app({"MENTOR_HOME": str(settings.home), "MENTOR_MODEL": str(model_dir), "MENTOR_CORPUS": str(small_corpus),
                      "MENTOR_EVAL_REPORT": str(tmp_path / "no-report.json")}, log) as (url, _):
        yield url, log, other_host


def test_a_card_shows_markdown_after_a_bare_cr_cr_as_text_and_nothing_is_fetched(hostile_server, browser):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    url, log, other_host = hostile_server
    other = f":{other_host.server_address[1]}"
    browser.get(url)
    box = WebDriverWait(browser, 60).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="stChatInputTextArea"]')))
    box.send_keys(QUESTION)
    box.send_keys(Keys.ENTER)
    try:
        WebDriverWait(browser, 180).until(lambda b: any(TITLE in c.text for c in b.find_elements(By.CSS_SELECTOR, "div.mentor-source")))
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "browser-safety-failure.png"))
        raise AssertionError(f"no card of the hostile note appeared; server log:\n{log.read_text(errors='replace')[-2000:]}")
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, '[data-testid="stFeedback"]')))
    time.sleep(2)  # let every piece paint, and any request it would make leave

    card = next(c for c in browser.find_elements(By.CSS_SELECTOR, "div.mentor-source") if TITLE in c.text)
    passage = card.find_element(By.CSS_SELECTOR, "div.mentor-passage")
    assert "Kaggle competitions are the best way" in passage.text and "bold claim" in passage.text
    assert f'<img src="http://127.0.0.1{other}/raw.png">' in passage.text  # the raw tag, shown as typed
    assert "end to end" in passage.text  # the text after \r\r is still inside the card
    assert not passage.find_elements(By.CSS_SELECTOR, "img, a, strong, b, em, iframe, script")
    assert [a.get_attribute("href") for a in card.find_elements(By.TAG_NAME, "a")] == ["https://example.org/kaggle-practice"]
    # Nowhere on the page: no element pointing at the other host, no request made to it.
    assert not browser.find_elements(By.CSS_SELECTOR, f'[src*="{other}"], [href*="{other}"], [srcset*="{other}"]')
    fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert fetched and not [name for name in fetched if other in name]
    assert other_host.requests == []
    assert "Traceback" not in browser.find_element(By.TAG_NAME, "body").text
