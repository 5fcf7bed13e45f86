# STUB
from trytond.model import ModelView
from trytond.wizard import Wizard


class ImportMembersStart(ModelView):
    __name__ = 'saccos.member.import.start'


class ImportMembers(Wizard):
    __name__ = 'saccos.member.import'
