#!/usr/bin/env node
// WebKitWebDriver for runners that send no capabilities (wasm-bindgen-test's Safari slot): a
// small WebDriver proxy that starts WebKitWebDriver (under Xvfb when there is no display) and
// adds `webkitgtk:browserOptions` to every new session, so that WebKitGTK's MiniBrowser is
// started in automation mode. Everything else is passed through unchanged.
//   SAFARIDRIVER=scripts/lib/webkit-webdriver.mjs wasm-pack test --safari ...
// It listens on --port=N (as the runner asks); WEBKITWEBDRIVER and MINIBROWSER override the paths.
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const WEBKITWEBDRIVER = process.env.WEBKITWEBDRIVER ?? 'WebKitWebDriver';

/** The browser options WebKitWebDriver needs to start MiniBrowser; `camera` adds its mock cameras. */
export function webkitBrowserOptions({ camera = false } = {}) {
  const args = ['--automation', '--enable-media-stream=true'];
  if (camera) args.push('--enable-mock-capture-devices=true');
  return { binary: MINIBROWSER, args };
}

/** A new-session request body with the WebKitGTK browser options added (kept if already there). */
export function withBrowserOptions(body) {
  const request = body && typeof body === 'object' ? body : {};
  const capabilities = request.capabilities && typeof request.capabilities === 'object' ? request.capabilities : {};
  const alwaysMatch = capabilities.alwaysMatch && typeof capabilities.alwaysMatch === 'object' ? capabilities.alwaysMatch : {};
  return {
    ...request,
    capabilities: {
      ...capabilities,
      alwaysMatch: { 'webkitgtk:browserOptions': webkitBrowserOptions(), ...alwaysMatch },
    },
  };
}

/** Starts Xvfb on a free display number; resolves to `{ display, stop() }`. */
export function startXvfb() {
  const xvfb = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1600x1200x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolvePromise, reject) => {
    let text = '';
    xvfb.stdout.on('data', (chunk) => {
      text += chunk;
      if (!text.includes('\n')) return;
      resolvePromise({
        display: `:${text.trim()}`,
        pid: xvfb.pid,
        stop: () => new Promise((done) => {
          if (xvfb.exitCode !== null || xvfb.signalCode !== null) return done();
          xvfb.once('exit', () => done());
          xvfb.kill('SIGTERM');
        }),
      });
    });
    xvfb.on('error', (error) => reject(new Error(`Xvfb: ${error.message} (scripts/setup installs it)`)));
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
}

export async function freePort() {
  const server = createNetServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

/**
 * Ends `pids` once this process is gone, however it ends: wasm-bindgen-test's runner kills its
 * driver with SIGKILL, which no handler sees, and would otherwise leave WebKitWebDriver and Xvfb
 * running after every run.
 */
function endWithThisProcess(pids) {
  const watch = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill ${pids.join(' ')} 2>/dev/null`;
  spawn('sh', ['-c', watch], { detached: true, stdio: 'ignore' }).unref();
}

/** Runs the proxy on `port` until SIGTERM/SIGINT; ends its driver and Xvfb with it. */
export async function runProxy(port) {
  const xvfb = process.env.DISPLAY ? null : await startXvfb();
  const driverPort = await freePort();
  const driver = spawn(WEBKITWEBDRIVER, [`--port=${driverPort}`], {
    env: { ...process.env, ...(xvfb && { DISPLAY: xvfb.display }) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  endWithThisProcess([driver.pid, ...(xvfb ? [xvfb.pid] : [])]);
  const stop = async () => {
    driver.kill('SIGTERM');
    await xvfb?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  driver.on('exit', async (code) => {
    await xvfb?.stop();
    process.exit(code ?? 1);
  });
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`http://127.0.0.1:${driverPort}/status`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (tries > 200) throw new Error('WebKitWebDriver did not start');
    await new Promise((done) => setTimeout(done, 100));
  }
  createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      let body = Buffer.concat(chunks);
      if (request.method === 'POST' && /^\/session\/?$/.test(request.url)) {
        let parsed = {};
        try {
          parsed = JSON.parse(body.toString() || '{}');
        } catch {
          /* passed on as it came: the driver answers the error */
        }
        body = Buffer.from(JSON.stringify(withBrowserOptions(parsed)));
      }
      const headers = { ...request.headers, host: `127.0.0.1:${driverPort}`, 'content-length': String(body.length) };
      const upstream = httpRequest({ host: '127.0.0.1', port: driverPort, method: request.method, path: request.url, headers },
        (answer) => {
          response.writeHead(answer.statusCode, answer.headers);
          answer.pipe(response);
        });
      upstream.on('error', (error) => response.writeHead(502, { 'Content-Type': 'text/plain' }).end(`${error.message}\n`));
      upstream.end(body);
    });
  }).listen(port, '127.0.0.1');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const option = process.argv.slice(2).find((arg) => arg.startsWith('--port='));
  await runProxy(Number(option?.slice('--port='.length) ?? 4444));
}
