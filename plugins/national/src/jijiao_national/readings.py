"""The national layer's readings of clauses 702号 leaves open, declared as data (``jijiao plugins``
lists them; every award that rests on one carries ``READING.step()``).

A ``switchable`` reading's alternative is computed by the same rule when a what-if takes it
(``--reading national.remote_certificate_credits=alternative``).
"""

from jijiao.models import Reading

from .documents import NHC_2019_702 as DOC, NHC_2024_20

REMOTE_CERTIFICATE_CREDITS = Reading(
    "national.remote_certificate_credits",
    DOC.ref("一(远程互认)"),
    "国家级远程项目学分证书所载的学分即“在全国范围内适用”的学分；省级可按本省标准细化数额，但不得拒绝认可",
    "“全国范围内适用”只保证互认，不规定数额：学分按国卫办科教发〔2024〕20号的授予标准，我们没有该部分，学分无法判定（至多为证书学分）",
    switchable=True,
)
REMOTE_UNCATEGORISED_CLASS_I = Reading(
    "national.remote_uncategorised_class_i",
    DOC.ref("一(远程互认)"),
    "证书未注明学分类别的国家级远程项目学分按Ⅰ类学分计（国家级项目即Ⅰ类学分项目）",
    "学分类别按国卫办科教发〔2024〕20号的规定，我们没有该部分：学分无法判定（至多为证书学分）",
    switchable=True,
)
REMOTE_VERIFICATION_SCOPE = Reading(
    "national.remote_verification_scope",
    DOC.ref("三(远程授分)"),
    "国家级远程项目须记录已经学员所在地省级继教委核实，未记录的待核实；省级及以下远程项目的核实，"
    "即省、市规则规定的审核途径（由该层规则判定），明确记录未核实的仍待核实",
    "任何远程项目未记录经省级继教委核实的，一律待核实",
    switchable=True,
)
NHC_2024_20_FROM_2025 = Reading(
    "national.nhc_2024_20_from_2025",
    NHC_2024_20.ref("一"),
    "20号于2024-10-23印发，施行日期在未取得的部分：自2025年度起按其一“每年不低于25学分”评定，2024年度的全国年度学分要求无法判定；"
    "20号已取得的部分未涉及Ⅰ类、Ⅱ类学分，也未废止702号，702号关于学分类别（相互补充、当年有效、视为合格）的规定继续适用",
    "20号自印发之日起施行：2024年度也按25学分评定；或其学分类别的规定取代702号的（我们没有该部分）",
)

READINGS = [REMOTE_CERTIFICATE_CREDITS, REMOTE_UNCATEGORISED_CLASS_I, REMOTE_VERIFICATION_SCOPE, NHC_2024_20_FROM_2025]
