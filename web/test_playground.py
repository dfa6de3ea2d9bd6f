#!/usr/bin/python3
"""The playground in a real browser: Debian's chromium, headless, driven through selenium
against the page built in build-web/web and served on 127.0.0.1 by a Python http.server that
this test starts and stops. Compares the page's numbers with the native reference program's
(web/reference.cpp: the library's own fcnn::train).

  /usr/bin/python3 web/test_playground.py --page build-web/web --reference build/web/playground-reference

Prints one line per check (PASS/FAIL), the measured numbers, and last "web: N passed, N failed".
Exits 1 if any check failed. Every wait is bounded; the whole run takes well under two minutes.
"""
import argparse
import json
import math
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

XOR = "data=xor&layers=2,8,8,1&activations=tanh,tanh,sigmoid&lr=0.5&batch=10&seed=1"
XOR_EPOCHS = 100
CIRCLE = "data=circle&noise=0.1&layers=2,4,1&activations=tanh,sigmoid&lr=0.5&batch=10&seed=2"
CIRCLE_EPOCHS = 100
SMALL = "data=xor&layers=2,4,1&activations=tanh,sigmoid&lr=0.5&batch=10&seed=1"  # the Step check's
# fcnn computes exp, log, tanh, cos and sin of doubles itself (lib/fcnn/elementary.hpp), so the page
# (WebAssembly, musl) and the native build (glibc) give the same bits with tanh too: all 17 digits.
TANH_DIGITS_REQUIRED = 17


class Page:
    def __init__(self, driver, base):
        self.driver, self.base = driver, base

    def open(self, query):
        self.driver.get(f"{self.base}/index.html?{query}")

    def text(self, element_id):
        return self.driver.find_element(By.ID, element_id).text

    def click(self, element_id):
        self.driver.find_element(By.ID, element_id).click()

    def js(self, script):
        return self.driver.execute_script(script)

    def wait_for(self, condition, seconds, what, error_expected=False):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return
            if not error_expected and self.text("status") == "error":
                raise AssertionError(f"the page shows an error while waiting for {what}: {self.text('error')}")
            time.sleep(0.1)
        raise AssertionError(f"gave up after {seconds} s waiting for {what}; #status is '{self.text('status')}'")

    def autorun(self, query, epochs):
        self.open(f"{query}&autorun={epochs}")
        self.wait_for(lambda: self.text("status") == "done", 90, f"#status 'done' after autorun={epochs}")
        return self.text("epoch"), self.text("loss"), self.text("accuracy")


def reference(program, query, epochs):
    out = subprocess.run([program, query, str(epochs)], check=True, capture_output=True, text=True, timeout=120)
    return json.loads(out.stdout)


def agreeing_digits(a, b):
    """How many leading significant digits of two %.17g texts agree."""
    da, db = [t.lstrip("-0.").replace(".", "").split("e")[0] for t in (a, b)]
    n = 0
    while n < min(len(da), len(db)) and da[n] == db[n]:
        n += 1
    return n


def ulps(a, b):
    ia, ib = (struct.unpack("<q", struct.pack("<d", x))[0] for x in (a, b))
    return abs(ia - ib)


def check_autorun_xor(page, args):
    epoch, loss, accuracy = page.autorun(XOR, XOR_EPOCHS)
    print(f"  XOR {XOR_EPOCHS} epochs on the page: epoch {epoch}, loss {loss}, accuracy {accuracy}")
    assert epoch == str(XOR_EPOCHS), f"#epoch is {epoch}, expected {XOR_EPOCHS}"
    assert float(accuracy) == 1.0, f"XOR accuracy {accuracy}, expected 1"


def check_tanh_xor_loss_equals_native(page, args):
    """Same seed, same batches, same library: with tanh the losses agree to all 17 digits. (They
    agreed to 13 only while tanh was the C library's: musl's and glibc's differ in the last bit.)"""
    _, loss, accuracy = page.autorun(XOR, XOR_EPOCHS)
    native = reference(args.reference, XOR, XOR_EPOCHS)
    digits = agreeing_digits(loss, native["loss"])
    print(f"  XOR loss after {XOR_EPOCHS} epochs: page {loss}, native {native['loss']}: "
          f"{'identical' if loss == native['loss'] else 'NOT identical'} ({digits} significant digits agree, "
          f"{ulps(float(loss), float(native['loss']))} ulps apart)")
    assert float(accuracy) == float(native["accuracy"]), f"accuracy: page {accuracy}, native {native['accuracy']}"
    assert digits >= TANH_DIGITS_REQUIRED, f"only {digits} significant digits agree, expected {TANH_DIGITS_REQUIRED}"
    assert loss == native["loss"], f"loss: page {loss}, native {native['loss']}"


def tutorial_link(tutorial):
    """The playground query that a tutorial's README links to."""
    readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tutorials", tutorial, "README.md")
    with open(readme, encoding="utf-8") as f:
        found = re.search(r"http://127\.0\.0\.1:8000/\?([^`\s]+)", f.read())
    assert found, f"{readme} has no link to the playground"
    return found.group(1)


def check_xor_loss_equals_native(page, args):
    """Tutorial 04's run, through the link its README gives: the page's loss after 2000 epochs is
    the native fcnn::train's to the last of 17 significant digits."""
    link = tutorial_link("04-training-xor")
    query, epochs = re.sub(r"&autorun=\d+", "", link), int(re.search(r"autorun=(\d+)", link).group(1))
    _, loss, accuracy = page.autorun(query, epochs)
    native = reference(args.reference, query, epochs)
    digits = agreeing_digits(loss, native["loss"])
    print(f"  tutorial 04's link, {epochs} epochs: page {loss}, native {native['loss']}: "
          f"{'identical' if loss == native['loss'] else 'NOT identical'} ({digits} significant digits agree)")
    assert float(accuracy) == 1.0, f"accuracy {accuracy}"
    assert loss == native["loss"], f"the page's loss {loss} is not the native {native['loss']}"


def check_tutorial_03_link(page, args):
    page.open(tutorial_link("03-backprop"))
    page.wait_for(lambda: page.text("status") == "ready", 30, "#status 'ready'")
    page.click("step")
    page.wait_for(lambda: page.js("return window.playground.record !== null"), 10, "the Step's record")
    columns = page.js("return window.playground.record.columns")
    assert sorted(columns) == [0, 1, 2, 3], f"one batch of XOR's four samples, got {columns}"


def check_autorun_circle(page, args):
    epoch, loss, accuracy = page.autorun(CIRCLE, CIRCLE_EPOCHS)
    print(f"  circle {CIRCLE_EPOCHS} epochs: loss {loss}, accuracy {accuracy}")
    assert float(accuracy) >= 0.95, f"circle accuracy {accuracy}, expected at least 0.95"


def check_step_deltas(page, args):
    page.open(SMALL)
    page.wait_for(lambda: page.text("status") == "ready", 30, "#status 'ready'")
    page.click("step")
    page.wait_for(lambda: page.js("return window.playground.record !== null"), 10, "the Step's record")
    page.wait_for(lambda: page.text("batch") == "1", 10, "#batch 1 after Step")
    native = reference(args.reference, SMALL, 1)
    L = len(native["deltas"])
    table = page.driver.find_element(By.CSS_SELECTOR, f'#bp-panel table[data-matrix="delta^{L}"]')
    shown = json.loads(table.get_attribute("data-values"))
    columns = page.js("return window.playground.record.columns")
    expected = native["deltas"][L - 1]["values"]
    assert columns == native["first_batch"], f"the batch: page {columns}, native {native['first_batch']}"
    assert len(shown) == len(expected), f"delta^{L} has {len(shown)} values on the page, {len(expected)} native"
    worst = max(ulps(a, b) for a, b in zip(shown, expected))
    print(f"  delta^{L} of the first batch (samples {columns}): first values page {shown[:3]}, native {expected[:3]}; "
          f"largest difference {worst} ulps")
    assert all(math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15) for a, b in zip(shown, expected)), \
        f"delta^{L} differs: page {shown}, native {expected}"
    for tab in ["forward", "bp1", "BP2 l=1", "bp3", "bp4", "update"]:
        assert page.driver.find_elements(By.CSS_SELECTOR, f'#bp-tabs button[data-tab="{tab}"]'), f"no tab {tab}"
    region = page.driver.find_element(By.CSS_SELECTOR, '#bp-panel pre[data-region="bp1"]').get_attribute("textContent")
    assert "BP1" in region and "output_error_into" in region, f"the bp1 source shown is '{region}'"
    page.driver.find_element(By.CSS_SELECTOR, '#bp-tabs button[data-tab="BP2 l=1"]').click()
    assert page.driver.find_element(By.CSS_SELECTOR, '#bp-panel div[data-step="BP2 l=1"]').is_displayed()


def check_train_pause_reset(page, args):
    page.open(XOR)
    page.wait_for(lambda: page.text("status") == "ready", 30, "#status 'ready'")
    page.click("step")
    page.wait_for(lambda: page.js("return window.playground.record !== null"), 10, "the Step's record")
    page.click("train")
    page.wait_for(lambda: int(page.text("epoch")) >= 3, 30, "3 epochs of training")
    assert page.text("status") == "training"
    before = page.js("return [window.playground.redraws, performance.now()]")
    time.sleep(3)
    after = page.js("return [window.playground.redraws, performance.now()]")
    rate = (after[0] - before[0]) * 1000 / (after[1] - before[1])
    page.driver.save_screenshot(args.screenshot)
    print(f"  heat map redraws while training 2-8-8-1: {rate:.1f} per second (over {(after[1] - before[1]) / 1000:.1f} s); "
          f"target 20: {'met' if rate >= 20 else 'NOT met'}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"screenshot {args.screenshot}")
    page.click("pause")
    page.wait_for(lambda: page.text("status") == "paused", 5, "#status 'paused'")
    time.sleep(0.3)
    paused_at = page.text("epoch"), page.text("batch")
    time.sleep(1.0)
    assert (page.text("epoch"), page.text("batch")) == paused_at, "training went on after Pause"
    assert int(paused_at[0]) >= 3
    page.click("reset")
    page.wait_for(lambda: page.text("status") == "ready" and page.text("epoch") == "0", 10, "epoch 0 after Reset")
    assert page.js("return window.playground.record") is None, "the backprop panel kept the old batch after Reset"
    # A speed target is measured and printed here, not asserted: the machine is shared and its load
    # varies (DEVELOPERS.md). What must hold is that the heat map follows the training at all.
    assert after[0] - before[0] >= 3, f"the heat map redrew {after[0] - before[0]} times in 3 s of training"


def check_bad_setting(page, args):
    page.open("data=xor&layers=2,x,1")
    page.wait_for(lambda: page.text("status") == "error", 30, "#status 'error'", error_expected=True)
    message = page.text("error")
    print(f"  ?layers=2,x,1 shows: {message}")
    assert "layers" in message and "'x'" in message, message


CHECKS = [check_autorun_xor, check_xor_loss_equals_native, check_tanh_xor_loss_equals_native, check_autorun_circle,
          check_tutorial_03_link, check_step_deltas,
          check_train_pause_reset, check_bad_setting]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="fcnn-playground-chromium-")
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1500,1250",
                 f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(10)
    return driver, profile


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--page", required=True, help="the built page's folder (build-web/web)")
    parser.add_argument("--reference", required=True, help="the native playground-reference program")
    parser.add_argument("--screenshot", help="where to save the PNG (default: PAGE/screenshot.png)")
    args = parser.parse_args()
    args.screenshot = args.screenshot or f"{args.page}/screenshot.png"

    # timeout(1) sends SIGTERM: leave through the finally below, so the browser and server stop too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", args.page],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    driver = profile = None
    passed = failed = 0
    try:
        driver, profile = start_browser()
        page = Page(driver, f"http://127.0.0.1:{port}")
        for check in CHECKS:
            try:
                check(page, args)
                passed += 1
                print(f"PASS {check.__name__}")
            except Exception as error:  # a failed assertion, a timeout, a crashed browser: all count
                failed += 1
                print(f"FAIL {check.__name__}: {error}")
                traceback.print_exc(limit=2, file=sys.stdout)
    except Exception as error:
        failed += len(CHECKS) - passed - failed
        print(f"FAIL: the browser could not be started or died: {error}")
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)
        if profile:
            shutil.rmtree(profile, ignore_errors=True)
    print(f"web: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
