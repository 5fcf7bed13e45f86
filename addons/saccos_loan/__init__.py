# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
# Classes are registered from tryton.cfg's [register] section.
