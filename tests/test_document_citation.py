"""A document is cited one way everywhere (`models.cite_document`): 《title》（number）, or the
title alone where it has no number -- never an empty "（）" in a reason."""

from decimal import Decimal

from jijiao import engine, report
from jijiao.models import Activity, MissingDocument, Practitioner, cite_document
from jijiao.plugins import Registry, RuleContext


def test_a_document_without_a_number_is_cited_by_its_title_alone():
    assert cite_document("浙江省的继续医学教育学分规定", "") == "《浙江省的继续医学教育学分规定》"
    assert MissingDocument("湖南省继续医学教育学分管理实施细则", "湘卫科教发〔2016〕9号", "x").citation == \
        "《湖南省继续医学教育学分管理实施细则》（湘卫科教发〔2016〕9号）"


def test_a_wenzhou_reason_names_the_unnumbered_provincial_rules_without_empty_brackets(jijiao_limit_plugins):
    jijiao_limit_plugins("national", "liaoning", "wenzhou", "changsha")  # no Zhejiang plugin installed beside them
    registry = Registry()
    practitioner = Practitioner(id="WZ-1", jurisdiction="330300")
    activities = [
        Activity(id="A1", practitioner="WZ-1", kind="project", year=2026, project_level="national",
                 project_mode="remote", certified_credits=Decimal(10), facts={"verified_by_province": True}),
        Activity(id="A2", practitioner="WZ-1", kind="further_study", year=2026, months=Decimal(1), passed=True),
    ]
    result = engine.assess_year(RuleContext(registry, year=2026), practitioner, activities, 2026)
    assert result.passed is None
    assert "（由《浙江省的继续医学教育学分规定》规定，未收录）" in result.reason, result.reason
    assert "（）" not in result.reason and "（）" not in report.annual_text(registry, result)
