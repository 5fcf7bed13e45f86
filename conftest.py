# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""pytest collection of the suite.

- Test modules of addons/<module>/tests are imported under their Tryton
  name, trytond.modules.<module>.tests.<name>, so a module is never
  imported twice (once as a top-level package).
- addons/<module>/tests/scenario*.rst are run as doctests with Tryton's
  own setUp, tearDown, checker and option flags (what load_doc_tests
  does for unittest), one pytest item per scenario.
Run with `-p no:doctest` so pytest's own doctest plugin stays out."""
import doctest
import os
import importlib
import pathlib

import pytest

ROOT = pathlib.Path(__file__).parent
ADDONS = ROOT / 'addons'


def _tryton_name(path):
    path = pathlib.Path(path).resolve()
    try:
        relative = path.relative_to(ADDONS)
    except ValueError:
        return None
    module, *rest = relative.with_suffix('').parts
    return '.'.join(['trytond', 'modules', module, *rest])


class TrytonModule(pytest.Module):
    def _importtestmodule(self):
        return importlib.import_module(_tryton_name(self.path))


def pytest_ignore_collect(collection_path, config):
    # test_scenario.py only hands the scenarios to unittest; pytest
    # collects them below.
    if collection_path.name == 'test_scenario.py' and _tryton_name(
            collection_path):
        return True
    return None


def pytest_pycollect_makemodule(module_path, parent):
    if _tryton_name(module_path) and module_path.name.startswith('test_'):
        return TrytonModule.from_parent(parent, path=module_path)
    return None


def pytest_collect_file(file_path, parent):
    if (file_path.suffix == '.rst' and file_path.name.startswith('scenario')
            and _tryton_name(file_path)):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self):
        yield ScenarioItem.from_parent(self, name=self.path.name)


class ScenarioItem(pytest.Item):
    def runtest(self):
        from trytond import backend
        from trytond.tests.test_tryton import (
            STRIP_DECIMAL, doctest_checker, doctest_setup, doctest_teardown)
        optionflags = (doctest.REPORT_ONLY_FIRST_FAILURE
            | doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL)
        if backend.name == 'sqlite':
            optionflags |= STRIP_DECIMAL
        if os.environ.get('SACCOS_ALL_FAILURES'):
            # While writing a scenario, see every failure at once.
            optionflags &= ~doctest.REPORT_ONLY_FIRST_FAILURE
        text = self.path.read_text(encoding='utf-8')
        package = _tryton_name(self.path.parent)
        globs = {'__name__': package + '.' + self.path.stem,
            '__file__': str(self.path)}
        test = doctest.DocTestParser().get_doctest(
            text, globs, self.path.name, str(self.path), 0)
        runner = doctest.DocTestRunner(
            checker=doctest_checker, optionflags=optionflags)
        doctest_setup(test)
        try:
            output = []
            runner.run(test, out=output.append, clear_globs=False)
        finally:
            doctest_teardown(test)
            test.globs.clear()
        if runner.failures:
            raise ScenarioFailure(''.join(output))

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, 'scenario: %s' % self.name


class ScenarioFailure(Exception):
    pass
