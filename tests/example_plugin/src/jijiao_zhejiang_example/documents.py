"""The (invented) document this example's rules cite, quoted clause by clause.

A real plugin quotes its published documents here, with their 文号, issuer, date and source
file; this one is marked as an example in its title and issuer so nobody mistakes it for policy.
"""

from datetime import date

from jijiao.models import Clause, ClauseRef, Document, Jurisdiction, MissingDocument

DOC = "example-zj"

ZHEJIANG = Jurisdiction(code="330000", name="浙江省", level="provincial", parent="000000")


def _clause(clause_id, text, summary, computable=True):
    return Clause(ClauseRef(DOC, clause_id), text, computable, summary)


EXAMPLE_DOCUMENT = Document(
    id=DOC,
    title="示例文件：浙江省继续医学教育学分管理办法（测试用，非真实政策）",
    number="",
    issuer="示例（非真实发文机关）",
    issued=date(2026, 1, 1),
    status="draft_for_comment",
    jurisdiction=ZHEJIANG.code,
    clauses=[
        _clause("一", "示例：卫生专业技术人员每年累计取得的学分不低于25学分。", "示例：年度学分不低于25学分"),
        _clause(
            "二",
            "示例：参加下基层巡回医疗服务的，每服务1天授予Ⅱ类学分1学分，每次服务最多授予5学分。",
            "示例：巡回医疗服务每天1学分（Ⅱ类），每次最多5学分",
        ),
        _clause("三", "示例：申报省级继续医学教育项目，应在申报书中填写结对帮扶的县（市、区）。",
                "示例：省级项目申报须填写结对帮扶县"),
        _clause("四", "示例：各地应高度重视继续医学教育工作。", "示例：倡导性条款", computable=False),
    ],
)

EXAMPLE_PROJECT_RULES = MissingDocument(
    title="浙江省省级继续医学教育项目管理细则（示例中假设存在、我们没有的文件）",
    number="文号不详",
    needed_for="示例：省级项目的学分标准",
)
