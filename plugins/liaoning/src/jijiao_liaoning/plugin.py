"""辽宁省: the jurisdiction's rules. (Rules land with this plugin's own issue.)"""

from jijiao import hookimpl
from jijiao.models import Jurisdiction

JURISDICTION = Jurisdiction(code="210000", name="辽宁省", level="provincial", parent="000000")


@hookimpl
def jijiao_jurisdictions():
    return [JURISDICTION]
