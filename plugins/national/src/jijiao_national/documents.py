"""The national document we hold, with the clauses our rules cite (quoted as published).

702号 numbers only its four sections; where one section states several rules, the clause id
adds the rule's subject in brackets, e.g. 三(视为合格), so that each can be cited and covered.
"""

from datetime import date

from jijiao.models import NATIONAL_CODE, Clause, ClauseRef, Document, DocumentStatus, Jurisdiction, MissingDocument

DOC = "nhc-2019-702"

CHINA = Jurisdiction(code=NATIONAL_CODE, name="全国", level="national")


def _clause(clause_id, text, summary, computable=True):
    return Clause(ClauseRef(DOC, clause_id), text, computable, summary)


NHC_2019_702 = Document(
    id=DOC,
    title="国家卫生健康委办公厅关于落实为基层减负措施改进继续医学教育有关工作的通知",
    number="国卫办科教函〔2019〕702号",
    issuer="国家卫生健康委办公厅",
    issued=date(2019, 8, 28),
    status="in_force",
    # Reading: a notice that states no date of effect applies from its date of issue.
    effective_from=date(2019, 8, 28),
    jurisdiction=NATIONAL_CODE,
    source="shared/policies/004_c84d8de9611ff545.txt",
    clauses=[
        _clause(
            "一(远程互认)",
            "医务人员根据需求自主选择学习平台，所获学分在全国范围内适用，省域间互认，各地不得直接或变相设置区域准入条件。",
            "国家级远程项目学分全国适用、省域间互认，各地不得设置区域准入条件",
        ),
        _clause(
            "一(不得指定机构)",
            "除国家公布的培训项目外，各地、各单位不得要求医务人员在指定的远程继续医学教育机构获取学分。",
            "各地、各单位不得指定远程教育机构",
            computable=False,
        ),
        _clause(
            "一(省域远程)",
            "确有需要且具备较好工作基础的地区，可由省级继续医学教育委员会（以下简称省级继教委）根据实际需求开展本省域内适用的远程继续医学教育工作，并报全继委。",
            "省级继教委可开展本省域内适用的远程继续医学教育",
            computable=False,
        ),
        _clause(
            "二",
            "国家卫生健康委结合行业发展需求，设立继续医学教育推广项目，纳入国家级继续医学教育项目管理范畴，优先作为医务人员教育培训内容。",
            "推广项目纳入国家级项目管理",
            computable=False,
        ),
        _clause(
            "三(当年有效)",
            "医务人员参加继续医学教育所获的Ⅰ类和Ⅱ类学分，在全国范围内当年有效。",
            "Ⅰ类、Ⅱ类学分全国范围内当年有效",
        ),
        _clause(
            "三(相互补充)",
            "医务人员当年参加本专业相关培训所获的Ⅰ类和Ⅱ类继续医学教育学分可相互补充，所补充比例不得超过该类别学分总值的50%。",
            "Ⅰ类、Ⅱ类学分可相互补充，补充比例不超过该类别学分总值的50%",
        ),
        _clause(
            "三(县级)",
            "县级及县以下医疗卫生机构的医务人员学分要求由各省级继教委结合本地实际规定，可不限于学分分类，适当提高远程继续医学教育学分占比。",
            "县级及以下机构人员的学分要求由省级继教委规定",
            computable=False,
        ),
        _clause(
            "三(视为合格)",
            "参加住院医师规范化培训、专科医师规范化培训、助理全科医生培训、累计6个月及以上进修并考核合格者、担任省级及以上科技成果奖励项目负责人等人员，可视为当年继续医学教育合格。",
            "规培、助理全科培训、累计6个月以上进修合格、省级以上科技奖励项目负责人视为当年合格",
        ),
        _clause(
            "三(远程授分)",
            "远程继续医学教育机构不得直接向学员授予学分，需经学员所在地的省级继教委核实后发放相应学分。",
            "远程教育机构不得直接授分，须经省级继教委核实",
        ),
        _clause(
            "四",
            "各项目申报单位对所开展的继续医学教育活动负主体责任，按照“谁申报、谁举办、谁负责”的原则，认真实施教育培训计划。",
            "属地化监管，谁申报谁举办谁负责",
            computable=False,
        ),
    ],
)

NHC_2024_20 = Document(
    id="nhc-2024-20",
    title="继续医学教育学分管理办法（试行）（节录：印发通知、一、二及二(一)的开头）",
    number="国卫办科教发〔2024〕20号",
    issuer="国家卫生健康委办公厅",
    issued=date(2024, 10, 23),
    status="trial",
    effect_unknown=True,  # 施行日期 is in the part we do not hold (see the source file's header)
    jurisdiction=NATIONAL_CODE,
    source="shared/policies/nhc-2024-20-partial.txt",
    clauses=[
        Clause(
            ClauseRef("nhc-2024-20", "一"),
            "继续医学教育实行学分制，卫生专业技术人员每年所获得学分累计不低于25学分（不少于90学时）。",
            # Its date of effect is in the part we do not hold: applied from 2025 (the reading
            # national.nhc_2024_20_from_2025; the parameter national.annual_credits).
            True,
            "每年学分累计不低于25学分（不少于90学时）；施行日期在未取得的部分，自2025年度起据此评定",
        ),
        Clause(
            ClauseRef("nhc-2024-20", "二"),
            "卫生专业技术人员参加继续医学教育项目、进修学习、在职学历（学位）教育、有组织的继续医学教育实践活动、"
            "政府指令性医疗卫生任务、有计划的自学以及符合规定的其他方式等，可获得相应学分。",
            False,
            "可授予学分的七类活动（定义；各类授分标准在未取得的部分）",
        ),
        Clause(
            ClauseRef("nhc-2024-20", "二(一)"),
            "继续医学教育项目是指具有明确教学目标和考核评价手段，在规定时间内完成的继续医学教育活动，"
            "包括继续医学教育推荐项目和继续医学教育推广项目。",
            False,
            "继续医学教育项目的定义",
        ),
    ],
)
"""Only the opening of 20号 is held (see its source file's header); what follows 二(一) is not."""

NATIONAL_CREDIT_RULES = MissingDocument(
    title="继续医学教育学分管理办法（试行）（二(一)以后的部分）",
    number="国卫办科教发〔2024〕20号",
    needed_for="全国统一的年度学分总量的施行日期与各类学分的授予标准",
    issued_year=2024,  # 2024-10-23: no earlier year is governed by it
)
NHC_2024_20_EFFECT = MissingDocument(
    title="继续医学教育学分管理办法（试行）的施行日期",
    number="国卫办科教发〔2024〕20号",
    needed_for="2024 年度是否已按每年25学分评定（20号于2024-10-23印发，施行日期在未取得的部分）",
)
EARLIER_NATIONAL_TOTAL = MissingDocument(
    title="20号以前全国年度学分总量的规定",
    number="文号不详",
    needed_for="2024 年以前各年度的全国年度学分要求（702号未规定年度学分总量）",
)
NATIONAL_MANAGEMENT_RULES = MissingDocument(
    title="继续医学教育管理规定（试行）",
    number="国卫科教发〔2024〕34号",
    needed_for="全国继续医学教育管理的总体规定",
    issued_year=2024,  # 〔2024〕34号, cited by 20号 (2024-10-23) as already issued
)
