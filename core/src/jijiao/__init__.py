"""jijiao (继教): China's continuing-medical-education credit policy as executable rules.

Plugin authors need only `hookimpl` and the models; see `jijiao.hookspecs` for the hooks.
"""

from .hookspecs import hookimpl

__all__ = ["hookimpl"]
__version__ = "0.1.0"
