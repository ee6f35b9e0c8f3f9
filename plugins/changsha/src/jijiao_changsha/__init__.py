"""长沙市 CME rules for jijiao. Hooks in `jijiao_changsha.plugin`."""
