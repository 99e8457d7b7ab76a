// scripts/lib/webkit-webdriver.mjs, the WebDriver proxy that lets wasm-bindgen-test's Safari
// slot (which sends no capabilities) drive WebKitGTK: it must add the browser options to a new
// session, keep what the client sent, and pass everything else through unchanged. Checked
// against a fake driver, with no browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, withBrowserOptions, MINIBROWSER } from '../../scripts/lib/webkit-webdriver.mjs';

const PROXY = fileURLToPath(new URL('../../scripts/lib/webkit-webdriver.mjs', import.meta.url));

test('a new session gets the MiniBrowser options; what the client sent is kept', () => {
  const added = withBrowserOptions({ capabilities: {} });
  assert.deepEqual(added.capabilities.alwaysMatch['webkitgtk:browserOptions'], {
    binary: MINIBROWSER,
    args: ['--automation', '--enable-media-stream=true'],
  });
  const kept = withBrowserOptions({ desiredCapabilities: {}, capabilities: { alwaysMatch: { browserName: 'x', 'webkitgtk:browserOptions': { binary: '/b' } }, firstMatch: [{}] } });
  assert.deepEqual(kept.capabilities.alwaysMatch, { browserName: 'x', 'webkitgtk:browserOptions': { binary: '/b' } });
  assert.deepEqual(kept.capabilities.firstMatch, [{}]);
  assert.deepEqual(kept.desiredCapabilities, {});
  assert.ok(withBrowserOptions(null).capabilities.alwaysMatch['webkitgtk:browserOptions']);
});

test('the proxy starts the driver, rewrites POST /session and passes the rest through', { timeout: 30_000 }, async () => {
  const directory = await mkdtemp(join(tmpdir(), 'fake-webdriver-'));
  const record = join(directory, 'requests.jsonl');
  const fake = join(directory, 'WebKitWebDriver');
  // A driver that answers every request with what it received, and records it.
  await writeFile(fake, `#!/usr/bin/env node
const { createServer } = require('node:http');
const { appendFileSync } = require('node:fs');
const port = Number(process.argv.find((arg) => arg.startsWith('--port=')).slice(7));
createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => { body += chunk; });
  request.on('end', () => {
    appendFileSync(${JSON.stringify(record)}, JSON.stringify({ method: request.method, url: request.url, body }) + '\\n');
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ value: { sessionId: 'fake', ready: true } }));
  });
}).listen(port, '127.0.0.1');
`);
  await chmod(fake, 0o755);
  const port = await freePort();
  const proxy = spawn(process.execPath, [PROXY, `--port=${port}`], {
    env: { ...process.env, WEBKITWEBDRIVER: fake, DISPLAY: ':fake' },
    stdio: 'ignore',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let tries = 0; ; tries++) {
      try {
        await fetch(`${base}/status`);
        break;
      } catch (error) {
        if (tries > 100) throw error;
        await new Promise((done) => setTimeout(done, 100));
      }
    }
    // What wasm-bindgen-test-runner sends for Safari.
    const created = await fetch(`${base}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ desiredCapabilities: {}, capabilities: {} }),
    });
    assert.equal((await created.json()).value.sessionId, 'fake');
    await fetch(`${base}/session/fake/url`, { method: 'POST', body: '{"url":"http://127.0.0.1:1/"}' });
    const requests = (await readFile(record, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    const session = requests.find((request) => request.url === '/session');
    assert.equal(JSON.parse(session.body).capabilities.alwaysMatch['webkitgtk:browserOptions'].binary, MINIBROWSER);
    const navigate = requests.find((request) => request.url === '/session/fake/url');
    assert.equal(navigate.body, '{"url":"http://127.0.0.1:1/"}', 'other requests pass unchanged');
  } finally {
    proxy.kill('SIGTERM');
    await rm(directory, { recursive: true, force: true });
  }
});
