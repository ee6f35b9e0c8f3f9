"""An example provincial plugin for 浙江省 (330000), written as an outside package.

ILLUSTRATIVE ONLY: its document, clauses and numbers are invented to show what a regional team
writes; nothing here is Zhejiang's policy.
"""
