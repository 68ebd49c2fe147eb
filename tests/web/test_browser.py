"""Real-browser tests: Debian's chromium driven by Selenium through chromium-driver, against the app served
on 127.0.0.1 by uvicorn in a thread that stops at the end (or after a time limit, whatever happens)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import EXAMPLES, PASSWORDS, make_store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="real-browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)
SERVER_LIMIT = 240.0  # seconds: the server stops by itself after this, whatever the tests do

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    import uvicorn

    from jixiao.web.app import create_app

    store = make_store(tmp_path_factory.mktemp("browser"))
    port = _free_port()
    config = uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    stop = threading.Timer(SERVER_LIMIT, lambda: setattr(srv, "should_exit", True))
    stop.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}", store
    finally:
        srv.should_exit = True
        stop.cancel()
        thread.join(10)
        store.dispose()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[object]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
    ):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _login(driver, base: str, name: str) -> None:  # type: ignore[no-untyped-def]
    driver.delete_all_cookies()
    driver.get(base + "/login")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(PASSWORDS[name])
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    WebDriverWait(driver, 30).until(lambda d: "/login" not in d.current_url)


def _downloaded(folder: Path, suffix: str, timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == suffix]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} file was downloaded to {folder}")


def test_upload_dismiss_export(server, browser, downloads: Path) -> None:  # type: ignore[no-untyped-def]
    base, _store = server
    _login(browser, base, "rev")
    browser.get(base + "/upload")
    browser.find_element(By.ID, "files").send_keys(
        str(EXAMPLES / "reports" / "guichuan-agri-2024-errors.txt")
    )
    browser.find_element(By.CSS_SELECTOR, "#upload-form button.primary").click()
    WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.LINK_TEXT, "查看审查结果"))).click()
    # Findings in place: a marked figure in a paragraph, its finding right below.
    marks = browser.find_elements(By.CSS_SELECTOR, ".block.error mark.error")
    assert marks and marks[0].text == "1286.40万元"
    finding = browser.find_elements(By.CSS_SELECTOR, ".finding.error")[0]
    fid = finding.get_attribute("id")
    finding.find_element(By.NAME, "reason").send_keys("报告另有说明，属口径差异")
    finding.find_element(By.CSS_SELECTOR, "button.dismiss").click()
    # htmx swaps the finding's box for the server's new one: look it up afresh each time.
    WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: any("报告另有说明" in e.text for e in d.find_elements(By.CSS_SELECTOR, f"#{fid} .verdict"))
    )
    assert "decided-dismissed" in browser.find_element(By.ID, fid).get_attribute("class")
    browser.get(base + "/")
    browser.find_element(By.PARTIAL_LINK_TEXT, "导出复核表").click()
    from openpyxl import load_workbook

    book = load_workbook(_downloaded(downloads, ".xlsx"))
    rows = list(book["复核表"].iter_rows(values_only=True))
    assert ("不采纳", "报告另有说明，属口径差异") in [(r[9], r[10]) for r in rows]


def test_author_workbook_to_docx(server, browser, downloads: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from jixiao.author.load import load_evaluation
    from jixiao.report.xlsx_template import write_template

    base, _store = server
    book = tmp_path / "自评表.xlsx"
    write_template(book, load_evaluation(EXAMPLES / "county-education-2024.yaml").evaluation)
    _login(browser, base, "au_b")
    assert browser.current_url.endswith("/author")
    browser.find_element(By.NAME, "file").send_keys(str(book))
    browser.find_element(By.CSS_SELECTOR, "button.primary").click()
    link = WebDriverWait(browser, 30).until(
        ec.presence_of_element_located((By.PARTIAL_LINK_TEXT, "Word 报告"))
    )
    assert "96.76" in browser.find_element(By.CLASS_NAME, "summary").text
    link.click()
    docx = _downloaded(downloads, ".docx")
    assert docx.read_bytes()[:2] == b"PK"


def test_author_cannot_open_another_units_report(server, browser) -> None:  # type: ignore[no-untyped-def]
    base, store = server
    from jixiao.store.files import Incoming
    from jixiao.store.ingest import import_files

    agri = EXAMPLES / "reports" / "guichuan-agri-2024-errors.txt"
    out = import_files(store, [Incoming(agri.name, agri.read_bytes())], unit="桂川县农业农村局")
    doc_id = (out.imported + out.existing)[0]
    _login(browser, base, "au_b")
    browser.get(f"{base}/documents/{doc_id}")
    assert "找不到" in browser.find_element(By.TAG_NAME, "h1").text
    assert not browser.find_elements(By.CSS_SELECTOR, ".report")
