# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields


class Branch(DeactivableMixin, ModelSQL, ModelView):
    "SACCO Branch"
    __name__ = 'saccos.branch'
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True,
        help="Short code printed on member documents.")
    address = fields.Text("Address")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'saccos_member.msg_branch_code_unique'),
            ]
        cls._order.insert(0, ('code', 'ASC'))

    def get_rec_name(self, name):
        return f'[{self.code}] {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('code', operator, operand, *extra),
            ('name', operator, operand, *extra),
            ]
