# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Fixtures of the cross-module tests: a real database on disk with the
suite installed, in its own configuration, as an admin would set it up."""
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import textwrap
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADMIN_PASSWORD = 'Saccos-Admin-2026'


def _script(name):
    "A console script of the running environment"
    script = pathlib.Path(sys.executable).parent / name
    return str(script) if script.exists() else shutil.which(name)


def modules():
    return sorted(p.parent.name for p in (ROOT / 'addons').glob('*/tryton.cfg'))


class Instance:
    "A trytond configuration and SQLite database in a folder"

    def __init__(self, folder, name='saccos_test'):
        self.folder = pathlib.Path(folder)
        self.name = name
        self.config = self.folder / 'trytond.conf'
        self.port = None
        self.config.write_text(textwrap.dedent(f"""\
            [database]
            uri = sqlite://
            path = {self.folder}
            [web]
            listen = 127.0.0.1:{self.free_port()}
            root = {ROOT / 'sao'}
            """))
        (self.folder / f'{name}.sqlite').touch()

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
        self.admin('--all', '--email', 'admin@example.com',
            '-u', *modules(), '--activate-dependencies')

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


@pytest.fixture
def instance(tmp_path):
    instance = Instance(tmp_path)
    instance.install()
    yield instance
    instance.stop()
