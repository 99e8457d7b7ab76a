// The camera: Chromium's fake camera plays a .y4m video made from a demo QR image, and the page
// shows VALID with the holder's name with nothing done but granting the camera. Then each
// camera failure gets its own message, pointing to the other inputs.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newWatchedContext, openPage, startServer, verdict, screenshot, cspViolations,
  unexpectedConsoleErrors, ARTIFACTS, DEMO, PHONE,
} from './helpers.mjs';
import { writeY4m } from './media.mjs';

const TIMEOUT = { timeout: 90_000 };

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.close();
});

/** Records the constraints the page asks getUserMedia for. */
function recordConstraints(page) {
  return page.addInitScript(() => {
    window.__constraints = [];
    const original = navigator.mediaDevices?.getUserMedia?.bind(navigator.mediaDevices);
    if (!original) return;
    navigator.mediaDevices.getUserMedia = (constraints) => {
      window.__constraints.push(JSON.parse(JSON.stringify(constraints)));
      return original(constraints);
    };
  });
}

describe('fake camera', () => {
  let browser;
  before(async () => {
    const video = await writeY4m(`${DEMO}vn_vaccination_ps256.png`, `${ARTIFACTS}camera.y4m`);
    browser = await launch({ fakeCamera: video });
  });
  after(async () => {
    await browser?.close();
  });

  test('the page reads the code from the camera and shows VALID with the name', TIMEOUT, async () => {
    const { context, watch } = await newWatchedContext(browser, PHONE);
    const page = await context.newPage();
    await recordConstraints(page);
    await page.goto(server.url);
    const shown = await verdict(page, { timeout: 60_000 });
    assert.equal(shown.status, 'valid');
    assert.equal(shown.word, 'VALID');
    assert.equal(shown.name, 'Nguyễn Bảo Duy');
    assert.equal(shown.demo, true);
    await screenshot(page, 'phone-camera-valid');

    const constraints = await page.evaluate(() => window.__constraints);
    assert.deepEqual(constraints[0].video.facingMode, { ideal: 'environment' }, 'the rear camera is asked for');
    const video = await page.evaluate(() => {
      const node = document.getElementById('video');
      return { playsInline: node.playsInline, muted: node.muted };
    });
    assert.deepEqual(video, { playsInline: true, muted: true });
    assert.equal(await page.isVisible('#torch'), false, 'no torch button: the fake camera has none');
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(watch.errors, []);
    assert.deepEqual(unexpectedConsoleErrors(watch), []);
    await context.close();
  });

  test('after "Scan next" the code still in view is not shown again at once', TIMEOUT, async () => {
    const { context } = await newWatchedContext(browser, PHONE);
    const page = await context.newPage();
    await page.goto(server.url);
    await verdict(page, { timeout: 60_000 });
    await page.keyboard.press('Enter');
    await page.waitForSelector('#verdict', { state: 'hidden' });
    await page.waitForTimeout(1200);
    assert.equal(await page.isHidden('#verdict'), true, 'the same code is ignored for a moment');
    // Then scanning goes on: the code in front of the camera is read again.
    assert.equal((await verdict(page, { timeout: 30_000 })).status, 'valid');
    await context.close();
  });

  test('a hidden tab stops the camera; showing it again restarts it', TIMEOUT, async () => {
    const { context } = await newWatchedContext(browser, PHONE);
    const page = await context.newPage();
    await page.addInitScript(() => {
      localStorage.setItem('dcc-verifier.camera', 'on');
    });
    await page.goto(server.url);
    await page.waitForSelector('#camera-card[data-camera="running"]');
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.waitForSelector('#camera-card[data-camera="paused"]');
    assert.equal(await page.evaluate(() => document.getElementById('video').srcObject), null, 'the stream is released');
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.waitForSelector('#camera-card[data-camera="running"]');
    await context.close();
  });

  test('"Stop camera" is remembered', TIMEOUT, async () => {
    const { context } = await newWatchedContext(browser, PHONE);
    const page = await context.newPage();
    await page.goto(server.url);
    await verdict(page, { timeout: 60_000 }); // the code in view is read first
    await page.keyboard.press('Escape');
    await page.click('#camera-toggle'); // within the pause in which that code is ignored
    await page.waitForSelector('#camera-card[data-camera="stopped"]');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForTimeout(500);
    assert.equal(await page.getAttribute('#camera-card', 'data-camera'), 'stopped');
    await context.close();
  });
});

describe('camera failures', () => {
  let browser;
  before(async () => {
    // A browser with no camera at all, that also resolves an ordinary (not localhost) name to
    // the test server, for an insecure context.
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  async function messageFor(setUp, url = server.url) {
    const { context } = await newWatchedContext(browser, PHONE);
    const page = await context.newPage();
    await setUp?.(page);
    await page.goto(url);
    await page.waitForSelector('#camera-status[data-kind]');
    const result = {
      kind: await page.getAttribute('#camera-status', 'data-kind'),
      text: await page.textContent('#camera-status'),
    };
    await context.close();
    return result;
  }

  const stub = (name) => (page) => page.addInitScript((errorName) => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('stubbed', errorName));
  }, name);

  for (const [label, setUp, kind, words] of [
    ['no camera', null, 'nocamera', /No camera was found/],
    ['permission denied', stub('NotAllowedError'), 'denied', /Camera access was refused/],
    ['camera in use', stub('NotReadableError'), 'inuse', /in use by another app/],
  ]) {
    test(`${label}: a clear message that points to upload and paste`, TIMEOUT, async () => {
      const message = await messageFor(setUp);
      assert.equal(message.kind, kind);
      assert.match(message.text, words);
      assert.match(message.text, /[Uu]pload/);
      assert.match(message.text, /[Pp]aste/);
    });
  }

  test('insecure context: the camera needs HTTPS, and the page still works', TIMEOUT, async () => {
    const { context } = await newWatchedContext(browser, PHONE);
    const page = await context.newPage();
    // http:// on a name other than localhost is not a secure context.
    await page.route('http://dcc-verifier.test/**', async (route) => {
      const url = new URL(route.request().url());
      // Requests still in flight when the test closes its context fail to be fulfilled; that is
      // the end of the test, not a failure of it.
      try {
        const response = await route.fetch({ url: `${server.url}${url.pathname.slice(1)}${url.search}` });
        await route.fulfill({ response });
      } catch (error) {
        if (!/disposed|closed/i.test(String(error))) throw error;
      }
    });
    await page.goto('http://dcc-verifier.test/');
    await page.waitForSelector('#camera-status[data-kind]');
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    assert.equal(await page.getAttribute('#camera-status', 'data-kind'), 'insecure');
    assert.match(await page.textContent('#camera-status'), /secure \(https:\/\/\) page/);
    assert.match(await page.textContent('#camera-status'), /Upload/);
    await page.waitForSelector('body[data-ready="true"]');
    await context.close();
  });
});
