# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A JSON-RPC client of a running trytond, as sao talks to it: the tests
of access and bad input go through the real HTTP server, where anything
a client sends arrives, not through proteus in-process.

    client = Client(url, database, 'teller', password)
    client.model('saccos.loan', 'write', [ids], {'state': 'approved'})
    client.wizard('saccos.savings.deposit', [account_id],
        'saccos.savings.account', {'start': {...}}, 'post')

A call that the server refuses raises RPCError with the server's error
(its kind, such as 'UserError' or 'AccessError', and its message)."""
import base64
import datetime as dt
import json
import urllib.error
import urllib.request
from decimal import Decimal


class RPCError(Exception):
    "The server answered with an error"

    def __init__(self, error, status=200):
        self.error = error
        self.status = status
        if isinstance(error, list) and error:
            self.kind = str(error[0])
            args = error[1] if len(error) > 1 else []
            self.message = (args[0] if isinstance(args, list) and args
                else str(args))
        else:
            self.kind, self.message = 'HTTPError', str(error)
        super().__init__(f'{self.kind}: {self.message}')

    @property
    def user_error(self):
        "A refusal with a message for the user, not an internal error"
        return self.kind.startswith('UserError') or self.kind in {
            'UserWarning', 'AccessError', 'AccessButtonError',
            'RequiredValidationError', 'DomainValidationError',
            'SelectionValidationError', 'SizeValidationError',
            'DigitsValidationError', 'ForbiddenCharValidationError',
            'RequiredValidationError', 'SQLConstraintError',
            'ForeignKeyError', 'ImportDataError', 'TooManyRequests',
            'LoginException', 'RateLimitException'}


def encode(value):
    if isinstance(value, Decimal):
        return {'__class__': 'Decimal', 'decimal': str(value)}
    if isinstance(value, dt.datetime):
        return {'__class__': 'datetime', 'year': value.year,
            'month': value.month, 'day': value.day, 'hour': value.hour,
            'minute': value.minute, 'second': value.second,
            'microsecond': value.microsecond}
    if isinstance(value, dt.date):
        return {'__class__': 'date', 'year': value.year,
            'month': value.month, 'day': value.day}
    if isinstance(value, bytes):
        return {'__class__': 'bytes',
            'base64': base64.b64encode(value).decode()}
    raise TypeError(repr(value))


def decode(value):
    cls = value.get('__class__')
    if cls == 'Decimal':
        return Decimal(value['decimal'])
    if cls == 'date':
        return dt.date(value['year'], value['month'], value['day'])
    if cls == 'datetime':
        return dt.datetime(value['year'], value['month'], value['day'],
            value['hour'], value['minute'], value['second'],
            value.get('microsecond', 0))
    if cls == 'bytes':
        return base64.b64decode(value['base64'])
    return value


class Client:
    "A logged-in session of login on database at url"

    def __init__(self, url, database, login, password, timeout=60):
        self.url = url.rstrip('/') + '/' + database + '/rpc/'
        self.database = database
        self.login = login
        self.timeout = timeout
        self.session = None
        self.context = {}
        user_id, session = self.call('common.db.login',
            login, {'password': password}, 'en')[:2]
        self.user_id = user_id
        self.session = session
        self.context = self.call(
            'model.res.user.get_preferences', True, {})

    def call(self, method, *params):
        "Call method with params; the server's error raises RPCError"
        body = json.dumps({'id': 0, 'method': method, 'params': params},
            default=encode).encode()
        request = urllib.request.Request(self.url, data=body, headers={
                'Content-Type': 'application/json'})
        if self.session:
            token = base64.b64encode(('%s:%s:%s' % (
                        self.login, self.user_id, self.session)).encode())
            request.add_header('Authorization', b'Session ' + token)
        try:
            with urllib.request.urlopen(
                    request, timeout=self.timeout) as response:
                answer = json.loads(response.read(), object_hook=decode)
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors='replace')
            try:
                answer = json.loads(text, object_hook=decode)
            except ValueError:
                raise RPCError(text[:500], error.code) from None
            if not answer.get('error'):
                raise RPCError(text[:500], error.code) from None
            raise RPCError(answer['error'], error.code) from None
        if answer.get('error'):
            raise RPCError(answer['error'])
        return answer.get('result')

    def model(self, model, method, *args, context=None):
        "model.<model>.<method>(*args, context)"
        return self.call(f'model.{model}.{method}', *args,
            dict(self.context, **(context or {})))

    def wizard(self, name, ids, model, data, state, end=True,
            context=None):
        """Run the wizard name on ids of model to state with data (the
        values of its views, such as {'start': {...}}); returns what the
        state returned"""
        context = dict(self.context, active_model=model,
            active_id=ids[0] if ids else None, active_ids=ids,
            **(context or {}))
        session, start, _ = self.call(f'wizard.{name}.create', context)
        try:
            return self.call(
                f'wizard.{name}.execute', session, data, state, context)
        finally:
            if end:
                try:
                    self.call(f'wizard.{name}.delete', session, context)
                except RPCError:
                    pass
