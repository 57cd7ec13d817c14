"""Peruvian Spanish number formats (Django ships none for es-PE; «es» uses «3 301,32»).

Peru writes amounts as «S/ 3,301.32»: a point for decimals and a comma for thousands, as
SUNAT, the banks and every payslip do. Dates fall through to Django's «es» module
(d/m/Y). See docs/decisions.md, «Words and numbers».
"""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
