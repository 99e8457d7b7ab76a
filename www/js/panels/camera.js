// The camera panel: the viewfinder, its status line, the start/stop and torch buttons. Camera
// (../camera.js) runs the stream and the QR worker; this panel shows what it reports
// (state.camera) and hands each code read to the page.
import { byId, setStatus } from '../dom.js';
import { t } from '../i18n.js';
import { Camera } from '../camera.js';
import { readStorage, writeStorage } from '../storage.js';
import { state } from '../state.js';

const CAMERA_KEY = 'dcc-verifier.camera';

let camera = null;
let noticeTimer = 0;

/** Wires the panel; `check(text, 'camera')` receives each code read. */
export function setUpCamera({ check }) {
  camera = new Camera({
    video: byId('video'),
    onText: (text) => {
      if (state.report) return;
      if (text === state.recentText) return; // the code just dismissed, still in view
      check(text, 'camera');
    },
    onState: (next, detail = {}) => {
      state.camera = { state: next, ...detail };
      renderCamera();
    },
    // The QR worker overran its per-frame time and was restarted (../scanner.js).
    onNotice: (key) => {
      setStatus('scanner-notice', t(`camera.${key}`), 'error');
      byId('scanner-notice').hidden = false;
      clearTimeout(noticeTimer);
      noticeTimer = setTimeout(() => { byId('scanner-notice').hidden = true; }, 8000);
    },
  });
  renderCamera();
  byId('camera-toggle').addEventListener('click', toggleCamera);
  byId('torch').addEventListener('click', async () => {
    await camera.setTorch(!camera.torchOn);
    renderCamera();
  });
}

/** Starts the camera unless it was turned off last time. */
export function startCameraIfWanted() {
  if (readStorage(CAMERA_KEY) !== 'off') {
    camera.setScanning(true);
    camera.start();
  }
}

/** While a verdict is on screen the stream stays on, but no frame is decoded. */
export function pauseScanning() {
  camera.setScanning(false);
}

/** The verifier could not load: the camera stops, as no verdict could follow a scan. */
export function stopCamera() {
  camera.stop();
  camera.setScanning(false);
}

export function resumeScanning() {
  if (camera.running) camera.setScanning(true);
}

export function renderCamera() {
  const { state: current, kind, detail, torch } = state.camera;
  const status = byId('camera-status');
  const toggle = byId('camera-toggle');
  const card = byId('camera-card');
  card.dataset.camera = current;
  status.classList.toggle('error', current === 'error');
  const text = {
    starting: t('camera.starting'),
    running: t('camera.aim'),
    stopped: t('camera.off'),
    paused: t('camera.paused'),
    error: t(`camera.error.${kind ?? 'other'}`, { detail: detail ?? '' }),
  }[current];
  status.textContent = text ?? '';
  if (current === 'error') status.dataset.kind = kind ?? 'other';
  else delete status.dataset.kind;
  const on = current === 'running' || current === 'starting';
  toggle.textContent = on ? t('camera.stop') : t('camera.start');
  toggle.setAttribute('aria-pressed', String(on));
  toggle.disabled = current === 'error' && (kind === 'insecure' || kind === 'unsupported');
  const torchButton = byId('torch');
  torchButton.hidden = !(current === 'running' && torch);
  torchButton.textContent = t('camera.torch');
  torchButton.setAttribute('aria-pressed', String(camera.torchOn));
}

function toggleCamera() {
  if (camera.running || state.camera.state === 'starting') {
    camera.stop();
    writeStorage(CAMERA_KEY, 'off');
  } else {
    writeStorage(CAMERA_KEY, 'on');
    camera.setScanning(!state.report);
    camera.start();
  }
}
