"""The analyst's everyday tasks, done in a real browser (Debian chromium through the PyPI
playwright package) against `jijiao serve` on a demo year with a what-if run, each in at most
three clicks from the landing page and without SQL:

pass rate per city and the ten worst units; one unit's people short of credits exported to Excel
with every row; why one person failed, to the clause; the clauses costing the most credits; next
month's deadlines; a person found by a two-character name; who changes status under a what-if.

Screenshots of the dashboard and the 达标 page go to ``$JIJIAO_SCREENSHOTS`` when set
(``JIJIAO_SCREENSHOTS=docs/screenshots .venv/bin/python -m pytest tests/test_browse_tasks.py``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from jijiao.testing import free_port, wait_until_up
from openpyxl import load_workbook

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
JIJIAO = str(Path(sys.executable).with_name("jijiao"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (CI installs Debian's chromium)"),
]

TODAY = "2026-07-01"  # the demo year's deadlines fall in 2026




@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tasks")
    db = tmp / "demo.db"
    subprocess.run([JIJIAO, "demo", "--db", str(db), "--size", "600"], check=True, capture_output=True)
    subprocess.run([JIJIAO, "assess", "--db", str(db), "--year", "2026", "--set", "liaoning.annual_credits=30"],
                   check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen([JIJIAO, "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", process, seconds=60)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN", accept_downloads=True)
    yield context.new_page()
    context.close()


@pytest.fixture()
def shots(tmp_path):
    folder = Path(os.environ.get("JIJIAO_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def number(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text))


def test_pass_rate_per_city_and_the_ten_worst_units(server, page, shots):
    from playwright.sync_api import expect

    page.goto(server + f"/?today={TODAY}")
    expect(page.locator(".jijiao-run")).to_contain_text("基准")
    cities = page.locator("#by-place tbody tr")
    names = cities.locator("td:first-child").all_inner_texts()
    assert {"丹东市", "大连市", "长沙市"} <= set(names)  # Liaoning counted by city
    worst = page.locator("#worst-units tbody tr")
    assert 0 < worst.count() <= 10
    rates = [float(t.rstrip("%")) for t in worst.locator("td:nth-child(5)").all_inner_texts()]
    assert rates == sorted(rates)  # worst first, and every one has a rate (no all-无法判定 unit)
    page.screenshot(path=shots / "dashboard.png", full_page=True)
    # sortable: one click on the heading sorts by the rate, best first
    page.locator("#by-place th", has_text="合格率").click()
    page.locator("#by-place th", has_text="合格率").click()
    sorted_rates = [t for t in page.locator("#by-place tbody td:nth-child(5)").all_inner_texts() if t.strip() != "—"]
    values = [float(t.rstrip("%")) for t in sorted_rates]
    assert values == sorted(values, reverse=True)


def test_one_units_people_short_of_credits_exported_to_excel_with_every_row(server, page, tmp_path):
    from playwright.sync_api import expect

    page.goto(server + "/")
    unit = page.locator("#worst-units tbody tr td:first-child a").first.inner_text().strip()
    page.select_option("select[name=unit]", unit)  # click 1: the unit dropdown
    page.wait_for_load_state("load")
    expect(page.locator(".jijiao-run")).to_contain_text(unit)
    page.locator("#kpis a.fail").click()  # click 2: its 不合格 people
    expect(page.locator("h1")).to_contain_text("年度结果")
    shown = number(page.locator("h3.jijiao-count").inner_text().split("条")[0])
    assert shown > 0
    with page.expect_download() as download:  # click 3: Excel
        page.locator("a.jijiao-xlsx").click()
    file = tmp_path / "short.xlsx"
    download.value.save_as(file)
    sheet = load_workbook(file, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) - 1 == shown
    header = rows[0]
    assert "工作单位" in header and "年度结论" in header
    assert {r[header.index("工作单位")] for r in rows[1:]} == {unit}
    assert {r[header.index("年度结论")] for r in rows[1:]} == {"不合格"}
    with page.expect_download() as download:
        page.locator("a.jijiao-csv").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) - 1 == shown


def test_why_one_person_failed_to_the_clause(server, page, shots):
    from playwright.sync_api import expect

    page.goto(server + "/")
    page.locator("#kpis a.fail").click()
    page.locator("table.rows-and-columns tbody td.col-practitioner a").first.click()
    name = page.locator("h1").inner_text().split(" · ")[0]
    expect(page).to_have_title(re.compile(rf"^{re.escape(name)} · 2026 年度结果"))
    expect(page.locator("#badge")).to_have_text("不合格")
    decides = page.locator("p.decides")
    clause = decides.locator("a").first.inner_text().strip()
    assert clause
    assert page.locator("#activities tbody tr").count() >= 1
    page.screenshot(path=shots / "dabiao.png", full_page=True)
    decides.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text(clause)


def test_the_clauses_costing_the_most_credits(server, page):
    from playwright.sync_api import expect

    page.goto(server + "/")
    first = page.locator("#clauses tbody tr").first
    credits = float(first.locator("td:nth-child(3)").inner_text())
    assert credits > 0
    how = first.locator("td:nth-child(2)").inner_text()
    first.locator("td:nth-child(3) a").click()
    expect(page.locator("h1")).to_contain_text("学分授予" if "不予授予" in how else "年度上限")
    assert number(page.locator("h3.jijiao-count").inner_text().split("条")[0]) > 0


def test_next_months_deadlines(server, page):
    from playwright.sync_api import expect

    page.goto(server + f"/?today={TODAY}")
    link = page.locator("#deadlines p a").first
    expected = number(link.inner_text())
    assert expected > 0
    link.click()
    expect(page.locator("h1")).to_contain_text("截止事项")
    assert number(page.locator("h3.jijiao-count").inner_text().split("条")[0]) == expected


def test_find_a_person_by_a_two_character_name(server, page):
    from playwright.sync_api import expect

    page.goto(server + "/")
    page.goto(server + "/jijiao/practitioners?_size=200")
    names = [n for n in page.locator("td.col-name").all_inner_texts() if len(n.strip()) == 2]
    assert names
    name = names[0].strip()
    page.goto(server + "/")
    page.fill(".jijiao-search-box input[name=q]", name)
    page.locator(".jijiao-search-box input[type=submit]").click()
    people = page.locator(".jijiao-search-人员")
    expect(people.locator("h2")).to_contain_text("共")
    assert "2026 年度" in people.locator("tbody tr").first.inner_text()
    people.locator("tbody tr td a").first.click()
    expect(page.locator("h1")).to_contain_text(f"{name} · 2026 年度结果")


def test_who_changes_status_under_a_what_if(server, page):
    from playwright.sync_api import expect

    page.goto(server + "/")
    page.get_by_role("link", name="政策调整的影响（what-if）").click()
    expect(page.locator(".jijiao-run")).to_contain_text("假设：liaoning.annual_credits=30")
    changed = number(page.locator("#changed-count").inner_text())
    assert changed > 0
    assert page.locator("#changed-people tbody tr").count() == min(changed, 200)
    page.locator("#changed-people tbody tr td a").first.click()
    expect(page.locator("#badge")).to_be_visible()
