"""长沙市: the jurisdiction's rules. (Rules land with this plugin's own issue.)"""

from jijiao import hookimpl
from jijiao.models import Jurisdiction

JURISDICTION = Jurisdiction(code="430100", name="长沙市", level="city", parent="430000")


@hookimpl
def jijiao_jurisdictions():
    return [JURISDICTION]
