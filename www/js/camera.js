// The rear camera: starts and stops the stream, feeds frames to the QR worker one at a time
// (frames that arrive while the decoder is busy are skipped), pauses while the tab is hidden,
// and offers the torch when the camera has one.
import { scan, ScannerRestarted } from './scanner.js';

/** Why the camera cannot be used, as one of the page's message keys. */
export function cameraErrorKind(error) {
  switch (error?.name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return window.isSecureContext ? 'denied' : 'insecure';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'nocamera';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'inuse';
    default:
      return 'other';
  }
}

// Frames wider than this are scaled down before decoding: a QR code filling a reasonable part
// of a 1280-pixel frame has plenty of pixels per module, and smaller frames decode faster.
const MAX_FRAME_SIDE = 1280;

export class Camera {
  /**
   * `video`: the <video playsinline muted> element. `onText(text)`: a code was read.
   * `onState(state, detail)`: 'starting' | 'running' | 'stopped' | 'paused' | 'error'.
   */
  constructor({ video, onText, onState, onNotice }) {
    this.video = video;
    this.onNotice = onNotice;
    this.onText = onText;
    this.onState = onState;
    this.stream = null;
    this.wanted = false; // the user wants the camera on (it may be paused while hidden)
    this.scanning = false; // frames are being decoded (off while a verdict is shown)
    this.busy = false;
    this.generation = 0;
    this.torchOn = false;
    this.scheduled = false;
    this.noBitmaps = false;
    document.addEventListener('visibilitychange', () => this.visibilityChanged());
  }

  get running() {
    return this.stream !== null;
  }

  async start() {
    this.wanted = true;
    if (this.stream) return;
    if (!window.isSecureContext) {
      this.onState('error', { kind: 'insecure' });
      return;
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      this.onState('error', { kind: 'unsupported' });
      return;
    }
    const generation = ++this.generation;
    this.onState('starting');
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (error) {
      if (generation === this.generation) {
        this.wanted = false;
        this.onState('error', { kind: cameraErrorKind(error), detail: error?.name ?? String(error) });
      }
      return;
    }
    if (generation !== this.generation || !this.wanted) {
      stream.getTracks().forEach((track) => track.stop()); // stopped while the prompt was open
      return;
    }
    this.stream = stream;
    this.scheduled = false;
    this.video.srcObject = stream;
    try {
      await this.video.play();
    } catch {
      /* autoplay of a muted inline video is allowed; a failure shows as no frames */
    }
    this.torchOn = false;
    this.onState('running', { torch: this.torchSupported() });
    this.schedule();
  }

  /** Stops the camera. `remember`: the user asked (else: the tab was hidden). */
  stop({ remember = true } = {}) {
    if (remember) this.wanted = false;
    this.generation++;
    this.scheduled = false;
    if (this.stream) {
      this.stream.getTracks().forEach((track) => track.stop());
      this.stream = null;
    }
    this.video.srcObject = null;
    this.onState(remember ? 'stopped' : 'paused');
  }

  /** Starts or stops decoding frames (the stream keeps running, so scanning resumes at once). */
  setScanning(on) {
    this.scanning = on;
    if (on) this.schedule();
  }

  visibilityChanged() {
    if (document.hidden) {
      if (this.stream) this.stop({ remember: false });
    } else if (this.wanted && !this.stream) {
      this.start();
    }
  }

  torchTrack() {
    return this.stream?.getVideoTracks()[0] ?? null;
  }

  torchSupported() {
    const track = this.torchTrack();
    try {
      return !!track?.getCapabilities?.().torch;
    } catch {
      return false;
    }
  }

  async setTorch(on) {
    const track = this.torchTrack();
    if (!track) return false;
    try {
      await track.applyConstraints({ advanced: [{ torch: on }] });
      this.torchOn = on;
    } catch {
      /* the camera refused: the button state stays as it was */
    }
    return this.torchOn;
  }

  schedule() {
    if (this.scheduled || !this.stream || !this.scanning || document.hidden) return;
    this.scheduled = true; // one chain of callbacks, however often scanning is switched on
    const generation = this.generation;
    const next = () => {
      if (generation !== this.generation) return; // the stream this chain was for is gone
      this.scheduled = false;
      this.tick();
    };
    if (this.video.requestVideoFrameCallback) this.video.requestVideoFrameCallback(next);
    else setTimeout(next, 100);
  }

  async tick() {
    if (!this.stream || !this.scanning || document.hidden) return;
    const video = this.video;
    if (!this.busy && video.readyState >= 2 && video.videoWidth > 0) {
      this.busy = true;
      const generation = this.generation;
      this.decode(video)
        .then((text) => {
          if (text && this.scanning && generation === this.generation) this.onText(text);
        })
        .catch((error) => {
          // A frame that cannot be read is just skipped; a decoder that stopped answering was
          // restarted (scanner.js), and the page says so.
          if (error instanceof ScannerRestarted) this.onNotice?.('scannerRestarted');
        })
        .finally(() => {
          this.busy = false;
        });
    }
    this.schedule(); // while busy, the frames in between are skipped
  }

  async decode(video) {
    const scale = Math.min(1, MAX_FRAME_SIDE / Math.max(video.videoWidth, video.videoHeight));
    const width = Math.round(video.videoWidth * scale);
    const height = Math.round(video.videoHeight * scale);
    let frame = video;
    if (typeof createImageBitmap === 'function' && !this.noBitmaps) {
      try {
        frame = await createImageBitmap(video, scale < 1 ? { resizeWidth: width, resizeHeight: height } : {});
      } catch {
        this.noBitmaps = true; // this browser cannot make bitmaps from video: draw frames instead
        frame = video;
      }
    }
    return scan(frame, { kind: 'frame', width, height });
  }
}
