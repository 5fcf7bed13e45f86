# STUB
from trytond.model import ModelSQL, ModelView, fields


class Branch(ModelSQL, ModelView):
    __name__ = 'saccos.branch'
    name = fields.Char("Name", required=True)
