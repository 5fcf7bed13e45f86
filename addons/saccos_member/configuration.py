# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""One place for what a SACCO sets up once: the journal member moves go
to, the member number sequence, the account used for each purpose and
the membership fee policy.  Values are per company, as Tryton's own
account configuration."""
from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.pool import Pool
from trytond.pyson import Eval, Id

from .exceptions import PaymentAccountError

PAYMENT_MODES = [
    ('cash', "Cash"),
    ('bank', "Bank"),
    ('mobile_money', "Mobile Money"),
    ]
PAYMENT_ACCOUNT_FIELDS = {
    'cash': 'cash_account',
    'bank': 'bank_account',
    'mobile_money': 'mobile_money_account',
    }


def _account(string, party_required=None, help=None, company=None,
        **kwargs):
    domain = [
        ('closed', '!=', True),
        ('type', '!=', None),
        ('company', '=', company
            or Eval('context', {}).get('company', -1)),
        ]
    if party_required is not None:
        domain.append(('party_required', '=', party_required))
    if help:
        kwargs['help'] = help
    return fields.Many2One(
        'account.account', string, domain=domain, **kwargs)


ACCOUNTS = [
    ('cash_account', "Cash Account", False,
        "The till: cash received and paid by tellers."),
    ('bank_account', "Bank Account", False,
        "Receipts and payments through the SACCO's bank account."),
    ('mobile_money_account', "Mobile Money Account", False,
        "The float held with the mobile money operator."),
    ('fee_receivable_account', "Fee Receivable Account", True,
        "Membership fees charged and not yet paid, per member."),
    ('joining_fee_account', "Joining Fee Income Account", False, None),
    ('subscription_account', "Subscription Income Account", False, None),
    ('suspense_account', "Unidentified Receipts Account", False,
        "Money received that cannot yet be matched to a member."),
    ]


class Configuration(
        ModelSingleton, ModelSQL, ModelView, CompanyMultiValueMixin):
    "SACCO Configuration"
    __name__ = 'saccos.configuration'

    member_sequence = fields.MultiValue(fields.Many2One(
            'ir.sequence.strict', "Member Number Sequence", required=True,
            domain=[
                ('company', 'in',
                    [Eval('context', {}).get('company', -1), None]),
                ('sequence_type', '=',
                    Id('saccos_member', 'sequence_type_member')),
                ],
            help="Numbers members when their application is approved."))
    member_journal = fields.MultiValue(fields.Many2One(
            'account.journal', "Member Journal", required=True,
            help="Journal of the moves of membership fees."))
    cash_account = fields.MultiValue(_account(*ACCOUNTS[0][1:3],
            help=ACCOUNTS[0][3]))
    bank_account = fields.MultiValue(_account(*ACCOUNTS[1][1:3],
            help=ACCOUNTS[1][3]))
    mobile_money_account = fields.MultiValue(_account(*ACCOUNTS[2][1:3],
            help=ACCOUNTS[2][3]))
    fee_receivable_account = fields.MultiValue(_account(*ACCOUNTS[3][1:3],
            help=ACCOUNTS[3][3]))
    joining_fee_account = fields.MultiValue(_account(*ACCOUNTS[4][1:3]))
    subscription_account = fields.MultiValue(_account(*ACCOUNTS[5][1:3]))
    suspense_account = fields.MultiValue(_account(*ACCOUNTS[6][1:3],
            help=ACCOUNTS[6][3]))
    joining_fee = fields.MultiValue(fields.Numeric(
            "Joining Fee", digits=(16, 2),
            domain=['OR', ('joining_fee', '=', None),
                ('joining_fee', '>=', 0)],
            help="Charged once, when the application is approved."))
    annual_subscription = fields.MultiValue(fields.Numeric(
            "Annual Subscription", digits=(16, 2),
            domain=['OR', ('annual_subscription', '=', None),
                ('annual_subscription', '>=', 0)],
            help="Charged to every active member for each fiscal year."))
    subscription_lapse_months = fields.MultiValue(fields.Integer(
            "Lapse After (Months)",
            domain=['OR', ('subscription_lapse_months', '=', None),
                ('subscription_lapse_months', '>', 0)],
            help="Mark a member inactive when a subscription stays unpaid "
            "for that many months.\nLeave empty to never lapse."))
    kyc_expiry_warning_days = fields.Integer(
        "KYC Expiry Warning (Days)", required=True,
        domain=[('kyc_expiry_warning_days', '>=', 0)],
        help="List a member for KYC follow-up this many days before a "
        "document expires.")

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field == 'member_sequence':
            return pool.get('saccos.configuration.sequence')
        if field in {f for f, *_ in ACCOUNTS} | {'member_journal'}:
            return pool.get('saccos.configuration.account')
        if field in {'joining_fee', 'annual_subscription',
                'subscription_lapse_months'}:
            return pool.get('saccos.configuration.fee')
        return super().multivalue_model(field)

    @classmethod
    def default_member_sequence(cls, **pattern):
        return cls.multivalue_model(
            'member_sequence').default_member_sequence()

    @classmethod
    def default_member_journal(cls, **pattern):
        return cls.multivalue_model(
            'member_journal').default_member_journal()

    @classmethod
    def default_kyc_expiry_warning_days(cls):
        return 30

    def get_payment_account(self, mode, company=None):
        "The account that receives money paid by mode"
        field = PAYMENT_ACCOUNT_FIELDS.get(mode)
        if not field:
            return None
        if company is not None and not isinstance(company, int):
            company = company.id
        pattern = {'company': company} if company else {}
        return self.get_multivalue(field, **pattern)

    def require_payment_account(self, mode, company=None):
        """The account that receives money paid by mode; an error saying
        what to set up when there is none"""
        account = self.get_payment_account(mode, company=company)
        if not account:
            raise PaymentAccountError(gettext(
                    'saccos_member.msg_payment_account_missing',
                    mode=dict(PAYMENT_MODES).get(mode, mode)))
        return account


class ConfigurationSequence(ModelSQL, CompanyValueMixin):
    "SACCO Configuration Sequence"
    __name__ = 'saccos.configuration.sequence'
    member_sequence = fields.Many2One(
        'ir.sequence.strict', "Member Number Sequence", required=True,
        domain=[
            ('company', 'in', [Eval('company', -1), None]),
            ('sequence_type', '=',
                Id('saccos_member', 'sequence_type_member')),
            ])

    @classmethod
    def default_member_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('saccos_member', 'sequence_member')
        except KeyError:
            return None


class ConfigurationAccount(ModelSQL, CompanyValueMixin):
    "SACCO Configuration Account"
    __name__ = 'saccos.configuration.account'
    member_journal = fields.Many2One('account.journal', "Member Journal")
    cash_account = _account(
        *ACCOUNTS[0][1:3], company=Eval('company', -1))
    bank_account = _account(
        *ACCOUNTS[1][1:3], company=Eval('company', -1))
    mobile_money_account = _account(
        *ACCOUNTS[2][1:3], company=Eval('company', -1))
    fee_receivable_account = _account(
        *ACCOUNTS[3][1:3], company=Eval('company', -1))
    joining_fee_account = _account(
        *ACCOUNTS[4][1:3], company=Eval('company', -1))
    subscription_account = _account(
        *ACCOUNTS[5][1:3], company=Eval('company', -1))
    suspense_account = _account(
        *ACCOUNTS[6][1:3], company=Eval('company', -1))

    @classmethod
    def default_member_journal(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('saccos_member', 'journal_member')
        except KeyError:
            return None


class ConfigurationFee(ModelSQL, CompanyValueMixin):
    "SACCO Configuration Fee"
    __name__ = 'saccos.configuration.fee'
    joining_fee = fields.Numeric("Joining Fee", digits=(16, 2))
    annual_subscription = fields.Numeric(
        "Annual Subscription", digits=(16, 2))
    subscription_lapse_months = fields.Integer("Lapse After (Months)")
