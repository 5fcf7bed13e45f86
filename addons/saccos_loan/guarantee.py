# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Guarantors and the liens on their savings.

A guarantee is a member's promise to pay up to an amount of a loan.  Its
free capacity (calculations.md 1.7) is the guarantor's deposits less
what they still guarantee on outstanding loans less their own loans not
covered by their own deposits.  At approval the amount is held (a lien,
a savings hold) on the guarantor's account; as principal is repaid the
hold is released in proportion (principal repaid x guaranteed / loan
principal, rounded down so no lien is released ahead of the money), and
what is left goes at closure.  On default, a recovery wizard takes the
money from the guarantors' savings to the loan."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.saccos_member.document import format_amount as fmt
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .arrears import release_amount
from .exceptions import GuaranteeError

# The loans whose guarantees still bind the guarantor.
BINDING_STATES = ['approved', 'active']


class Guarantee(ModelSQL, ModelView):
    "Loan Guarantee"
    __name__ = 'saccos.loan.guarantee'

    loan = fields.Many2One(
        'saccos.loan', "Loan", required=True, ondelete='CASCADE')
    company = fields.Function(fields.Many2One(
            'company.company', "Company"), 'on_change_with_company')
    guarantor = fields.Many2One(
        'party.party', "Guarantor", required=True, ondelete='RESTRICT',
        domain=[
            ('is_member', '=', True),
            ('member_state', '=', 'active'),
            ],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    amount = fields.Numeric(
        "Amount Guaranteed", digits=(16, 2), required=True,
        domain=[('amount', '>', 0)])
    savings_account = fields.Many2One(
        'saccos.savings.account', "Savings Account Held",
        ondelete='RESTRICT',
        domain=[
            ('owner', '=', Eval('guarantor', -1)),
            ('state', 'in', ['active', 'inactive']),
            ],
        help="The guarantor's account the lien is placed on.  Empty: the "
        "account with the most free balance at approval.")
    hold = fields.Many2One(
        'saccos.savings.hold', "Lien", readonly=True, ondelete='RESTRICT')
    on_hold = fields.Function(fields.Numeric(
            "Still Held", digits=(16, 2)), 'get_on_hold')
    recovered_amount = fields.Numeric(
        "Recovered", digits=(16, 2), readonly=True,
        help="Taken from the guarantor's savings to the loan on default.")
    loan_state = fields.Function(fields.Selection(
            'get_loan_states', "Loan State"), 'get_loan_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('loan')

    @classmethod
    def default_recovered_amount(cls):
        return Decimal(0)

    @fields.depends('loan', '_parent_loan.company')
    def on_change_with_company(self, name=None):
        return self.loan.company if self.loan else None

    @classmethod
    def get_loan_states(cls):
        pool = Pool()
        Loan = pool.get('saccos.loan')
        return Loan.fields_get(['state'])['state']['selection']

    def get_loan_state(self, name):
        return self.loan.state

    def get_on_hold(self, name):
        return self.hold.remaining_amount if self.hold else Decimal(0)

    def get_rec_name(self, name):
        return '%s: %s' % (self.guarantor.rec_name, self.amount)

    @classmethod
    def validate_fields(cls, guarantees, field_names):
        super().validate_fields(guarantees, field_names)
        for guarantee in guarantees:
            if guarantee.guarantor == guarantee.loan.member:
                raise GuaranteeError(gettext(
                        'saccos_loan.msg_guarantor_borrower',
                        loan=guarantee.loan.rec_name))

    @classmethod
    def capacity(cls, guarantor, exclude_loan=None):
        """The guarantor's free capacity: deposits less what they still
        guarantee less their own loans not covered by their deposits"""
        pool = Pool()
        Loan = pool.get('saccos.loan')
        deposits, _ = Loan.member_deposits(guarantor)
        binding = cls.search([
                ('guarantor', '=', guarantor.id),
                ('loan.state', 'in', BINDING_STATES),
                ])
        guaranteed = sum((g.on_hold if g.hold else g.amount
                for g in binding if g.loan != exclude_loan), Decimal(0))
        own = Loan.member_outstanding(guarantor)
        uncovered = max(own - deposits, Decimal(0))
        return deposits - guaranteed - uncovered

    @classmethod
    def problem(cls, guarantee, date):
        "Why guarantee cannot stand, or None"
        guarantor = guarantee.guarantor
        if guarantor.member_state != 'active':
            return gettext('saccos_loan.msg_guarantor_not_active',
                guarantor=guarantor.rec_name)
        capacity = cls.capacity(guarantor, exclude_loan=guarantee.loan)
        if guarantee.amount > capacity:
            return gettext('saccos_loan.msg_guarantor_capacity',
                guarantor=guarantor.rec_name, amount=fmt(guarantee.amount),
                capacity=fmt(capacity))
        maximum = guarantee.loan.product.maximum_guarantees
        if maximum:
            count = len({g.loan.id for g in cls.search([
                            ('guarantor', '=', guarantor.id),
                            ('loan.state', 'in', BINDING_STATES),
                            ('loan', '!=', guarantee.loan.id),
                            ])})
            if count >= maximum:
                return gettext('saccos_loan.msg_guarantor_too_many',
                    guarantor=guarantor.rec_name, count=count,
                    maximum=maximum)
        return None

    def _account_to_hold(self):
        pool = Pool()
        Account = pool.get('saccos.savings.account')
        if self.savings_account:
            return self.savings_account
        accounts = Account.search([
                ('owner', '=', self.guarantor.id),
                ('state', 'in', ['active', 'inactive']),
                ])
        if accounts:
            return max(accounts, key=lambda a: (a.available_balance, -a.id))

    @classmethod
    def place_liens(cls, guarantees, date):
        "Hold each guaranteed amount on the guarantor's savings"
        pool = Pool()
        Hold = pool.get('saccos.savings.hold')
        for guarantee in guarantees:
            if guarantee.hold:
                continue
            account = guarantee._account_to_hold()
            if not account:
                raise GuaranteeError(gettext(
                        'saccos_loan.msg_guarantor_no_savings',
                        guarantor=guarantee.guarantor.rec_name))
            guarantee.savings_account = account
            guarantee.hold = Hold.place(
                account, guarantee.amount,
                gettext('saccos_loan.msg_lien_reason',
                    loan=guarantee.loan.rec_name),
                origin=guarantee, date=date)
        cls.save(guarantees)

    @classmethod
    def release_liens(cls, guarantees, date=None):
        "Release what is still held"
        pool = Pool()
        Hold = pool.get('saccos.savings.hold')
        for guarantee in guarantees:
            if guarantee.hold and guarantee.hold.state == 'active':
                Hold.release_amount(guarantee.hold,
                    guarantee.hold.remaining_amount, date)

    @classmethod
    def release_in_proportion(cls, loan, date):
        """Release the liens of loan down to what the guarantors still
        answer for: the guaranteed amount less its share of the principal
        repaid, and never more than what they have not paid already"""
        pool = Pool()
        Hold = pool.get('saccos.savings.hold')
        repaid = loan.amount - loan.principal_outstanding
        for guarantee in loan.guarantees:
            hold = guarantee.hold
            if not hold or hold.state != 'active':
                continue
            by_repayment = release_amount(
                repaid, guarantee.amount, loan.amount,
                loan.currency.rounding)
            still = max(min(guarantee.amount - by_repayment,
                    guarantee.amount - guarantee.recovered_amount),
                Decimal(0))
            more = guarantee.amount - still - hold.released_amount
            if more > 0:
                Hold.release_amount(hold, more, date)


class Hold(metaclass=PoolMeta):
    __name__ = 'saccos.savings.hold'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['saccos.loan.guarantee']

    @classmethod
    def release(cls, holds):
        # A lien follows its loan: it is released by repayments and
        # closure, never by hand while the loan binds the guarantor.
        for hold in holds:
            origin = hold.origin
            if (origin and origin.__name__ == 'saccos.loan.guarantee'
                    and origin.loan.state in BINDING_STATES):
                raise GuaranteeError(gettext(
                        'saccos_loan.msg_lien_release',
                        hold=hold.rec_name, loan=origin.loan.rec_name))
        super().release(holds)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    loans = fields.One2Many('saccos.loan', 'member', "Loans", readonly=True)
    guarantees_given = fields.One2Many(
        'saccos.loan.guarantee', 'guarantor', "Loans Guaranteed",
        readonly=True,
        help="The loans this member guarantees.")
