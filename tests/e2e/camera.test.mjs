// The camera, in every engine. A "canvas camera" (getUserMedia answered, before the page's own
// scripts run, with the captured stream of a canvas showing a demo QR image) drives the page's
// whole camera path — <video>, frames, the scan worker, the Rust decoder — the same way in all
// engines. The engine's own fake camera is used as well: Chromium's plays a .y4m video of the
// code, so the page reads it; Firefox's (media.navigator.streams.fake) and WebKitGTK's mock
// capture devices show a test pattern, so there the page must run the camera and scan with no
// verdict. Then each camera failure gets its own message, pointing to the other inputs.
import { test, before, after, beforeEach, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, startOrigin, openPage, verdict, closeVerdict, screenshot, assertClean, ARTIFACTS, DEMO, ENGINE,
} from './helpers.mjs';
import { writeY4m } from './media.mjs';

const TIMEOUT = { timeout: 240_000 };
// WebKitGTK's media pipeline (GStreamer) takes 15–20 s on a loaded 2-core machine to deliver the
// first frame of a stream (video.play() resolves only then): the waits allow for it.
const CAMERA_WAIT = { state: 'attached', timeout: 90_000 };

// getUserMedia is replaced on MediaDevices.prototype, not on navigator.mediaDevices: WebKit may
// collect that object's wrapper while nothing in JS holds it and hand out a new one, without the
// replacement (the camera's restart after a hidden tab then met the real, camera-less one).

/** Records the constraints the page asks getUserMedia for, in window.__constraints. */
const RECORD_CONSTRAINTS = `
  window.__constraints = [];
  if (window.MediaDevices && MediaDevices.prototype.getUserMedia) {
    const original = MediaDevices.prototype.getUserMedia;
    MediaDevices.prototype.getUserMedia = function (constraints) {
      window.__constraints.push(JSON.parse(JSON.stringify(constraints)));
      return original.call(this, constraints);
    };
  }
`;

/** A camera whose picture is a demo QR image on a grey background (640×480, 10 frames a second). */
const CANVAS_CAMERA = `
  window.__constraints = [];
  MediaDevices.prototype.getUserMedia = async (constraints) => {
    window.__constraints.push(JSON.parse(JSON.stringify(constraints)));
    const image = new Image();
    image.src = '/demo/vn_vaccination_ps256.png';
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 480;
    const context = canvas.getContext('2d');
    // A pixel in a corner changes every frame: WebKit's canvas stream sends a frame only when
    // the canvas changed.
    let tick = 0;
    const draw = () => {
      context.fillStyle = '#e8e8e8';
      context.fillRect(0, 0, 640, 480);
      context.drawImage(image, (640 - image.width) / 2, (480 - image.height) / 2);
      tick = (tick + 1) % 2;
      context.fillStyle = tick ? '#e0e0e0' : '#f0f0f0';
      context.fillRect(0, 0, 2, 2);
    };
    draw();
    setInterval(draw, 100);
    return canvas.captureStream(10);
  };
`;

let origin;

before(async () => {
  origin = await startOrigin();
});

after(async () => {
  await origin?.close();
});

beforeEach(() => origin.reset());

describe('canvas camera (every engine)', () => {
  let browser;
  before(async () => {
    browser = await launch({ proxy: origin.proxy });
  });
  after(async () => {
    await browser?.close();
  });

  test('the page reads the code from the camera and shows VALID with the name', TIMEOUT, async () => {
    const page = await openPage(browser, origin, { init: CANVAS_CAMERA, ready: false });
    const shown = await verdict(page, { timeout: 120_000 });
    assert.equal(shown.status, 'valid');
    assert.equal(shown.word, 'VALID');
    assert.equal(shown.name, 'Nguyễn Bảo Duy');
    assert.equal(shown.demo, true);
    await screenshot(page, 'phone-camera-valid');
    const constraints = await page.evaluate(() => window.__constraints);
    assert.deepEqual(constraints[0].video.facingMode, { ideal: 'environment' }, 'the rear camera is asked for');
    const video = await page.evaluate(() => {
      const node = document.getElementById('video');
      // The attribute is what iOS reads (Firefox has no playsInline property).
      return { playsInline: node.hasAttribute('playsinline'), muted: node.muted };
    });
    assert.deepEqual(video, { playsInline: true, muted: true });
    assert.equal(await page.isVisible('#torch'), false, 'no torch button: this camera has none');
    await assertClean(page, origin);
    await page.close();
  });

  test('after "Scan next" the code still in view is not shown again at once', TIMEOUT, async () => {
    const page = await openPage(browser, origin, { init: CANVAS_CAMERA, ready: false });
    await verdict(page, { timeout: 120_000 });
    await page.keyboard.press('Enter');
    await page.waitForSelector('#verdict', { state: 'hidden' });
    await page.waitForTimeout(1200);
    assert.equal(await page.isHidden('#verdict'), true, 'the same code is ignored for a moment');
    // Then scanning goes on: the code in front of the camera is read again.
    assert.equal((await verdict(page, { timeout: 30_000 })).status, 'valid');
    await page.close();
  });

  test('a hidden tab stops the camera; showing it again restarts it', TIMEOUT, async () => {
    const init = `${CANVAS_CAMERA}\nlocalStorage.setItem('dcc-verifier.camera', 'on');`;
    const page = await openPage(browser, origin, { init, ready: false });
    await page.waitForSelector('#camera-card[data-camera="running"]', CAMERA_WAIT);
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.waitForSelector('#camera-card[data-camera="paused"]', { state: 'attached' });
    assert.equal(await page.evaluate(() => document.getElementById('video').srcObject), null, 'the stream is released');
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.waitForSelector('#camera-card[data-camera="running"]', CAMERA_WAIT);
    await page.close();
  });

  test('"Stop camera" is remembered', TIMEOUT, async () => {
    const page = await openPage(browser, origin, { init: CANVAS_CAMERA, ready: false });
    await verdict(page, { timeout: 120_000 }); // the code in view is read first
    await closeVerdict(page);
    await page.click('#camera-toggle'); // within the pause in which that code is ignored
    await page.waitForSelector('#camera-card[data-camera="stopped"]', { state: 'attached' });
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForTimeout(500);
    assert.equal(await page.getAttribute('#camera-card', 'data-camera'), 'stopped');
    await page.close();
  });
});

describe(`the engine's own fake camera (${ENGINE})`, () => {
  let browser;
  before(async () => {
    // Chromium plays a video of a demo code; Firefox and WebKitGTK have a built-in test pattern.
    const camera = ENGINE === 'chromium'
      ? await writeY4m(`${DEMO}vn_vaccination_ps256.png`, `${ARTIFACTS}camera.y4m`)
      : true;
    browser = await launch({ camera, proxy: origin.proxy });
  });
  after(async () => {
    await browser?.close();
  });

  if (ENGINE === 'chromium') {
    test('the fake camera plays a code: the page shows VALID with the name', TIMEOUT, async () => {
      const page = await openPage(browser, origin, { init: RECORD_CONSTRAINTS, ready: false });
      const shown = await verdict(page, { timeout: 120_000 });
      assert.equal(shown.status, 'valid');
      assert.equal(shown.name, 'Nguyễn Bảo Duy');
      assert.deepEqual((await page.evaluate(() => window.__constraints))[0].video.facingMode, { ideal: 'environment' });
      await assertClean(page, origin);
      await page.close();
    });
  } else {
    test('the fake camera shows a test pattern (no code can be put in it): the page runs the camera and scans, with no verdict', TIMEOUT, async () => {
      const page = await openPage(browser, origin, { init: RECORD_CONSTRAINTS });
      await page.waitForSelector('#camera-card[data-camera="running"]', CAMERA_WAIT);
      await page.waitForFunction(() => document.getElementById('video').videoWidth > 0, null, { timeout: 30_000 });
      await page.waitForTimeout(2000);
      assert.equal(await page.isHidden('#verdict'), true, 'a picture with no code gives no verdict');
      assert.deepEqual((await page.evaluate(() => window.__constraints))[0].video.facingMode, { ideal: 'environment' });
      await screenshot(page, 'phone-camera-pattern');
      await assertClean(page, origin);
      await page.close();
    });
  }
});

describe('camera failures', () => {
  let browser;
  before(async () => {
    browser = await launch({ proxy: origin.proxy }); // no camera at all
  });
  after(async () => {
    await browser?.close();
  });

  async function messageFor(init = '', url = origin.url) {
    const page = await openPage(browser, origin, { init, url, ready: false });
    await page.waitForSelector('#camera-status[data-kind]', { state: 'attached' });
    const result = {
      kind: await page.getAttribute('#camera-status', 'data-kind'),
      text: await page.textContent('#camera-status'),
      secure: await page.evaluate(() => window.isSecureContext),
    };
    await page.waitForSelector('body[data-ready="true"]');
    await page.close();
    return result;
  }

  const stub = (name) => `MediaDevices.prototype.getUserMedia = () => Promise.reject(new DOMException('stubbed', '${name}'));`;

  for (const [label, init, kind, words] of [
    ['no camera', '', 'nocamera', /No camera was found/],
    ['permission denied', stub('NotAllowedError'), 'denied', /Camera access was refused/],
    ['camera in use', stub('NotReadableError'), 'inuse', /in use by another app/],
  ]) {
    test(`${label}: a clear message that points to upload and paste`, TIMEOUT, async () => {
      const message = await messageFor(init);
      assert.equal(message.kind, kind);
      assert.match(message.text, words);
      assert.match(message.text, /[Uu]pload/);
      assert.match(message.text, /[Pp]aste/);
    });
  }

  test('insecure context: the camera needs HTTPS, and the page still works', TIMEOUT, async () => {
    // http:// on a name other than localhost (served through the test proxy) is not a secure context.
    const message = await messageFor('', origin.aliasUrl);
    assert.equal(message.secure, false);
    assert.equal(message.kind, 'insecure');
    assert.match(message.text, /secure \(https:\/\/\) page/);
    assert.match(message.text, /Upload/);
  });
});
