# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Fixtures of the cross-module tests: a real database with the suite
installed, in its own configuration, as an admin would set it up.

`instance` is SQLite in a temporary folder; `pg_instance` is a new
PostgreSQL database on the server of SACCOS_TEST_POSTGRESQL (or
TRYTOND_DATABASE__URI when it is a PostgreSQL one), dropped afterwards.
`backend_instance` is PostgreSQL in the PostgreSQL pass of ./test and
SQLite otherwise, for the tests both passes run."""
import hashlib
import os
import uuid
import pathlib
import shutil
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from .browser import browser  # noqa: F401 (a fixture of the browser tests)

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADMIN_PASSWORD = 'Saccos-Admin-2026'


def _script(name):
    "A console script of the running environment"
    script = pathlib.Path(sys.executable).parent / name
    return str(script) if script.exists() else shutil.which(name)


def modules():
    return sorted(p.parent.name for p in (ROOT / 'addons').glob('*/tryton.cfg'))


def addons_hash():
    "What the installed modules are made of: a new install when it changes"
    digest = hashlib.sha1()
    for path in sorted((ROOT / 'addons').rglob('*')):
        if path.is_file() and '__pycache__' not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


INSTALLED = ROOT / 'var' / 'cache' / 'instances'


def postgresql_uri():
    "The PostgreSQL server of the tests, or None"
    uri = os.environ.get('TRYTOND_DATABASE__URI', '')
    if uri.startswith('postgresql'):
        return uri
    return os.environ.get('SACCOS_TEST_POSTGRESQL') or None


class Instance:
    """A trytond configuration and database: SQLite in folder, or a new
    database on the PostgreSQL server of uri"""

    def __init__(self, folder, name='saccos_test', uri=None):
        self.folder = pathlib.Path(folder)
        self.uri = uri
        if uri:
            name = f'{name}_{uuid.uuid4().hex[:10]}'
        self.name = name
        self.config = self.folder / 'trytond.conf'
        self.port = None
        self.config.write_text(textwrap.dedent(f"""\
            [database]
            uri = {uri or 'sqlite://'}
            path = {self.folder}
            [web]
            listen = 127.0.0.1:{self.free_port()}
            root = {ROOT / 'sao'}
            """))
        if uri:
            self._server(f'CREATE DATABASE "{name}"')
        else:
            (self.folder / f'{name}.sqlite').touch()

    def _server(self, statement):
        import psycopg
        with psycopg.connect(self.uri.rstrip('/') + '/postgres',
                autocommit=True) as connection:
            connection.execute(statement)

    def drop(self):
        if self.uri:
            self._server(f'DROP DATABASE IF EXISTS "{self.name}" '
                'WITH (FORCE)')

    @property
    def backend(self):
        return 'postgresql' if self.uri else 'sqlite'

    def free_port(self):
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            self.port = s.getsockname()[1]
        return self.port

    @property
    def env(self):
        env = dict(os.environ)
        env.pop('TRYTOND_DATABASE__URI', None)
        env.pop('DB_NAME', None)
        env['PYTHONOPTIMIZE'] = '1'
        return env

    def admin(self, *args):
        passfile = self.folder / 'password'
        passfile.write_text(ADMIN_PASSWORD)
        env = self.env
        env['TRYTONPASSFILE'] = str(passfile)
        subprocess.run([
                _script('trytond-admin'),
                '-c', str(self.config), '-d', self.name, *args],
            check=True, env=env, capture_output=True, text=True)

    def install(self):
        """Install the suite as `trytond-admin` does; the first install of
        a set of module files is kept (a file, or a template database) and
        copied for the next tests"""
        version = addons_hash()
        if self.uri:
            template = f'saccos_installed_{version}'
            if self._database_exists(template):
                self._server(f'DROP DATABASE "{self.name}"')
                self._server(
                    f'CREATE DATABASE "{self.name}" TEMPLATE "{template}"')
                return
            self._install()
            self._keep_template(template)
        else:
            kept = INSTALLED / f'{version}.sqlite'
            database = self.folder / f'{self.name}.sqlite'
            if kept.exists():
                shutil.copyfile(kept, database)
                return
            self._install()
            INSTALLED.mkdir(parents=True, exist_ok=True)
            partial = kept.with_suffix(f'.{uuid.uuid4().hex}')
            shutil.copyfile(database, partial)
            os.replace(partial, kept)
            for stale in INSTALLED.glob('*.sqlite'):
                if stale != kept:
                    stale.unlink(missing_ok=True)

    def _install(self):
        self.admin('--all', '--email', 'admin@example.com',
            '-u', *modules(), '--activate-dependencies')

    def _database_exists(self, name):
        import psycopg
        with psycopg.connect(self.uri.rstrip('/') + '/postgres',
                autocommit=True) as connection:
            return bool(connection.execute(
                    'SELECT 1 FROM pg_database WHERE datname = %s',
                    (name,)).fetchone())

    def _keep_template(self, template):
        "Keep the database just installed as template, once"
        import psycopg
        partial = f'{template}_{uuid.uuid4().hex[:8]}'
        try:
            self._server(
                f'CREATE DATABASE "{partial}" TEMPLATE "{self.name}"')
            self._server(f'ALTER DATABASE "{partial}" RENAME TO "{template}"')
        except psycopg.Error:
            # Another pass kept it first.
            self._server(f'DROP DATABASE IF EXISTS "{partial}"')
            return
        with psycopg.connect(self.uri.rstrip('/') + '/postgres',
                autocommit=True) as connection:
            stale = [name for name, in connection.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE "
                    "'saccos_installed_%%' AND datname != %s",
                    (template,)).fetchall()]
        for name in stale:
            self._server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def python(self, code):
        "Run code in a child with proteus connected; return its stdout"
        prelude = textwrap.dedent(f"""\
            from proteus import config as _config
            config = _config.set_trytond(
                {self.name!r}, config_file={str(self.config)!r})
            """)
        result = subprocess.run(
            [sys.executable, '-c', prelude + textwrap.dedent(code)],
            env=self.env, capture_output=True, text=True)
        if result.returncode:
            raise AssertionError(result.stderr[-4000:])
        return result.stdout

    def start(self):
        self.process = subprocess.Popen([
                _script('trytond'),
                '-c', str(self.config), '-d', self.name],
            env=self.env, stdout=subprocess.DEVNULL,
            stderr=open(self.folder / 'trytond.log', 'w'),
            start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(('127.0.0.1', self.port), 1).close()
                return f'http://127.0.0.1:{self.port}/'
            except OSError:
                time.sleep(0.3)
        raise AssertionError("trytond did not start")

    def stop(self):
        process = getattr(self, 'process', None)
        if process:
            os.killpg(process.pid, 15)
            process.wait(10)
            self.process = None

    def rpc(self, login, password):
        "A JSON-RPC client of the started server, logged in as login"
        from .rpc import Client
        return Client(f'http://127.0.0.1:{self.port}/', self.name,
            login, password)


def _instance(folder, uri=None):
    instance = Instance(folder, uri=uri)
    try:
        instance.install()
        yield instance
    finally:
        instance.stop()
        instance.drop()


@pytest.fixture
def instance(tmp_path):
    yield from _instance(tmp_path)


@pytest.fixture
def pg_instance(tmp_path):
    uri = postgresql_uri()
    if not uri:
        pytest.skip("no PostgreSQL server (SACCOS_TEST_POSTGRESQL)")
    yield from _instance(tmp_path, uri)


@pytest.fixture
def backend_instance(tmp_path):
    "PostgreSQL in the PostgreSQL pass, SQLite in the SQLite pass"
    uri = os.environ.get('TRYTOND_DATABASE__URI', '')
    yield from _instance(
        tmp_path, uri if uri.startswith('postgresql') else None)
