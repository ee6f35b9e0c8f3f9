"""温州市: the jurisdiction's rules. (Rules land with this plugin's own issue.)"""

from jijiao import hookimpl
from jijiao.models import Jurisdiction

JURISDICTION = Jurisdiction(code="330300", name="温州市", level="city", parent="330000")


@hookimpl
def jijiao_jurisdictions():
    return [JURISDICTION]
