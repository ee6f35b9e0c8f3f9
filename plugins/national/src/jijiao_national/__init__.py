"""National rules (国家卫生健康委): 国卫办科教函〔2019〕702号. Hooks in `jijiao_national.plugin`."""
