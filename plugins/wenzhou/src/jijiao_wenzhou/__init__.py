"""温州市 CME rules for jijiao. Hooks in `jijiao_wenzhou.plugin`."""
