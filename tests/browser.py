# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the browser tests share: headless Chromium driven by selenium,
and steps a person takes in sao (log in, open a menu, click, type) with
a screenshot after each, under artifacts/browser/<test>/."""
import os
import pathlib
import shutil
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / 'artifacts' / 'browser'
CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'

have_browser = os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)
if not have_browser and os.environ.get('CI') == 'true':
    raise RuntimeError("chromium and chromedriver are required under CI")
needs_browser = pytest.mark.skipif(
    not have_browser, reason="chromium or chromedriver missing")

# The active tab of sao
ACTIVE = ("//div[contains(@class,'tab-pane') and "
    "contains(@class,'active')]")


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix='saccos-chromium-')
    for argument in ['--headless=new', '--no-sandbox', '--disable-gpu',
            '--disable-background-networking', '--disable-component-update',
            '--no-first-run', '--disable-sync', '--disable-quic',
            '--disable-dev-shm-usage', '--window-size=1400,900',
            f'--user-data-dir={profile}']:
        options.add_argument(argument)
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


class Steps:
    "Explicit waits and a screenshot after every step"

    def __init__(self, driver, name='browser'):
        from selenium.webdriver.support.ui import WebDriverWait
        self.driver = driver
        self.wait = WebDriverWait(driver, 30)
        self.count = 0
        self.folder = ARTIFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)

    def shot(self, name):
        self.count += 1
        self.driver.save_screenshot(
            str(self.folder / f'{self.count:02d}-{name}.png'))

    def visible(self, css):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        return self.wait.until(
            ec.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def clickable_xpath(self, xpath):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        return self.wait.until(
            ec.element_to_be_clickable((By.XPATH, xpath)))

    def login(self, url, user, password):
        from selenium.webdriver.common.keys import Keys
        self.driver.get(url)
        self.visible('input#login').send_keys(user, Keys.ENTER)
        self.visible('input[type=password]').send_keys(password, Keys.ENTER)

    def open_menu(self, *path):
        "Expand the menu folders of path and open its last entry"
        from selenium.webdriver.common.action_chains import ActionChains
        *folders, entry = path
        for title in folders:
            self.clickable_xpath(
                f"//div[@id='menu']//div[@title='{title}']").find_element(
                'xpath', './ancestor::tr//span[@class="expander"]').click()
        ActionChains(self.driver).double_click(self.clickable_xpath(
                f"//div[@id='menu']//div[@title='{entry}']")).perform()

    def keep_failure(self):
        "A screenshot, the page and the browser console of a failure"
        self.shot('failure')
        (self.folder / 'failure.html').write_text(self.driver.page_source)
        (self.folder / 'console.log').write_text('\n'.join(
                str(e) for e in self.driver.get_log('browser')))
