"""vnconv web in a real browser (issue 13): Debian's chromium, headless, driven by Selenium + chromedriver.

The files are set on the page's ``<input type=file multiple>``; a drop hands the same File objects to the
same upload code. ``VNCONV_SCREENSHOT=PATH`` also saves a screenshot of the page (docs/web-screenshot.png).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES, need_shared

pytest.importorskip("flask", reason="vnconv web needs the web extra: pip install 'vnconv[web]'")
webdriver = pytest.importorskip("selenium.webdriver", reason="the browser test needs selenium (the test extra)")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402
from test_pipelines import make_docx  # noqa: E402
from test_web import WORDS  # noqa: E402

from vnconv.web import make_server  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture
def page_url(tmp_path: Path) -> Any:
    (tmp_path / "work").mkdir()
    server = make_server(tmp_path / "work")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    server.store.close()


@pytest.fixture
def browser(tmp_path: Path) -> Any:
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        pytest.skip("needs Debian's chromium and chromium-driver (make test installs them when root)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,1500",
                "--lang=vi"):
        options.add_argument(arg)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
    driver.downloads = downloads
    yield driver
    driver.quit()


def test_pasted_text_shows_the_repair_and_its_reason(browser: Any, page_url: str) -> None:
    browser.get(page_url)
    browser.find_element(By.ID, "text").send_keys("Céng hoµ x· héi chñ nghÜa ViÖt Nam")
    browser.find_element(By.ID, "convertText").click()
    card = WebDriverWait(browser, 30).until(lambda d: d.find_element(By.CSS_SELECTOR, "#results .card"))
    assert card.find_element(By.CSS_SELECTOR, ".after").text == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    mark = card.find_element(By.CSS_SELECTOR, ".after mark")
    assert mark.text == "Cộng" and "TCVN3" in mark.get_attribute("title")
    card.find_element(By.CSS_SELECTOR, "button").click()  # the result back into the box
    assert browser.find_element(By.ID, "text").get_attribute("value") == "Cộng hoà xã hội chủ nghĩa Việt Nam"


def test_drop_files_see_duong_and_download_the_zip(browser: Any, page_url: str, tmp_path: Path) -> None:
    plan = need_shared(SAMPLES / "ke-hoach-60-nam.txt")
    docx = make_docx(tmp_path / "kế hoạch.docx", WORDS)
    browser.get(page_url)
    assert "Kéo thả" in browser.find_element(By.ID, "drop").text  # Vietnamese first
    chooser = browser.find_element(By.CSS_SELECTOR, "input#files[type=file][multiple]")
    browser.execute_script("arguments[0].hidden = false", chooser)
    chooser.send_keys(f"{plan}\n{docx}")
    browser.execute_script("arguments[0].hidden = true", chooser)
    wait = WebDriverWait(browser, 120)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#results .card")) == 2)
    wait.until(lambda d: d.find_element(By.ID, "zip").is_displayed())
    cards = {c.find_element(By.CSS_SELECTOR, ".name").text: c for c in browser.find_elements(By.CSS_SELECTOR, ".card")}
    assert set(cards) == {"ke-hoach-60-nam.txt", "kế hoạch.docx"}
    for card in cards.values():
        after = card.find_element(By.CSS_SELECTOR, ".after").text
        assert "Dương" in after
        marks = card.find_elements(By.CSS_SELECTOR, ".after mark")
        assert any(m.text.startswith("Dương") and "TCVN3" in m.get_attribute("title") for m in marks)
    assert "tcvn3" in cards["ke-hoach-60-nam.txt"].find_element(By.CSS_SELECTOR, ".facts").text
    assert ".VnTime → Times New Roman" in cards["kế hoạch.docx"].find_element(By.CSS_SELECTOR, ".facts").text
    assert browser.find_element(By.ID, "progress").get_attribute("style").replace(" ", "").endswith("width:100%;")
    if os.environ.get("VNCONV_SCREENSHOT"):
        browser.save_screenshot(os.environ["VNCONV_SCREENSHOT"])
    browser.find_element(By.ID, "lang").click()
    assert "Drop files" in browser.find_element(By.ID, "drop").text
    browser.find_element(By.ID, "zip").click()
    target = browser.downloads / "vnconv.zip"
    deadline = time.monotonic() + 30
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert target.exists(), list(browser.downloads.iterdir())
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == ["ke-hoach-60-nam.txt", "kế hoạch.docx"]
        assert "Hải Dương" in archive.read("ke-hoach-60-nam.txt").decode("utf-8")
        assert b"word/document.xml" in archive.read("kế hoạch.docx")
