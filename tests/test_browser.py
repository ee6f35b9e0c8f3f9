"""The real thing: `jijiao serve` as a subprocess on a free loopback port, driven by headless
Chromium (Debian's /usr/bin/chromium through the PyPI playwright package; never `playwright
install`). It opens a practitioner's annual result, follows a credit award to its clause text,
runs a canned query, looks at the charts, and saves a screenshot of each step.

Screenshots go to a temporary directory, or to ``$JIJIAO_SCREENSHOTS`` when set (to refresh the
ones in docs/screenshots: ``JIJIAO_SCREENSHOTS=docs/screenshots .venv/bin/python -m pytest -m browser``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from jijiao.testing import free_port, wait_until_up

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
JIJIAO = str(Path(sys.executable).with_name("jijiao"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (CI installs Debian's chromium)"),
]




@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "demo.db"
    subprocess.run([JIJIAO, "demo", "--db", str(db), "--size", "400"], check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen([JIJIAO, "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        wait_until_up(base + "/jijiao", process)
        yield {"base": base, "startup": time.perf_counter() - started}
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture()
def shots(tmp_path):
    folder = Path(os.environ.get("JIJIAO_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_an_analyst_follows_a_result_to_its_clause_and_runs_a_query(server, shots):
    from playwright.sync_api import expect, sync_playwright

    base, timings = server["base"], {"server_start_s": round(server["startup"], 2)}

    def visit(page, name, action):
        started = time.perf_counter()
        action()
        page.wait_for_load_state("load")
        timings[name + "_ms"] = round((time.perf_counter() - started) * 1000)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")

        # 1. A practitioner short of credits: their annual result, read as a sentence.
        visit(page, "annual_results_table", lambda: page.goto(f"{base}/jijiao/annual_results?verdict={quote('不合格')}"))
        expect(page.locator("h1")).to_contain_text("年度结果")
        visit(page, "annual_result_row", lambda: page.locator("table.rows-and-columns tbody tr td a").first.click())
        expect(page.locator("p.verdict")).to_contain_text("年度结论：不合格")
        expect(page.locator(".jijiao-explained")).to_contain_text("各项要求")
        page.screenshot(path=shots / "annual-result.png", full_page=True)

        # 2. Its credit awards, one award explained, and the clause it cites.
        visit(page, "credit_awards_of_person", lambda: page.get_by_role("link", name="各项活动的学分授予").click())
        expect(page.locator("table.rows-and-columns tbody tr").first).to_be_visible()
        visit(page, "credit_award_row", lambda: page.locator("table.rows-and-columns tbody tr td a").first.click())
        explained = page.locator(".jijiao-explained")
        expect(explained).to_contain_text("计算说明")
        expect(explained).to_contain_text("依据条款原文")
        quoted = explained.locator("blockquote").first.inner_text().strip()
        assert len(quoted) > 5
        page.screenshot(path=shots / "credit-award.png", full_page=True)
        clause = explained.locator("a.jijiao-clause-link").first.inner_text().strip()
        visit(page, "clause_row", lambda: explained.locator("a.jijiao-clause-link").first.click())
        expect(page.locator("h1")).to_contain_text(clause)
        expect(page.locator("table.rows-and-columns")).to_contain_text(quoted[:20])
        page.screenshot(path=shots / "clause.png", full_page=True)

        # 3. A canned query with a parameter, as the CME office would run it.
        visit(page, "canned_query_form", lambda: page.goto(f"{base}/jijiao/short_of_credits"))
        page.fill("input[name=jurisdiction]", "辽宁省")
        visit(page, "canned_query_run", lambda: page.locator("form.sql input[type=submit]").click())
        expect(page.locator("h1")).to_contain_text("学分未达标人员")
        rows = page.locator("table.rows-and-columns tbody tr")
        expect(rows.first).to_be_visible()
        assert "辽宁" in rows.first.inner_text() or "沈阳" in rows.first.inner_text() or "大连" in rows.first.inner_text()
        page.screenshot(path=shots / "canned-query.png")

        # 4. The charts and the search for a two-character name.
        visit(page, "charts", lambda: page.goto(f"{base}/-/jijiao/charts"))
        assert page.locator("svg").count() >= 3
        page.screenshot(path=shots / "charts.png", full_page=True)
        visit(page, "search_two_characters", lambda: page.goto(f"{base}/-/jijiao/search?q={quote('医院')}"))
        expect(page.locator(".jijiao-search-单位 tbody tr").first).to_be_visible()  # 医院 names units, not people
        browser.close()

    (shots / "timings.json").write_text(json.dumps(timings, ensure_ascii=False, indent=1))
    print("timings:", timings)
    assert {f.name for f in shots.glob("*.png")} >= {"annual-result.png", "credit-award.png", "clause.png",
                                                      "canned-query.png", "charts.png"}
