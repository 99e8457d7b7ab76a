// The page's state, declared in one place: the panels (www/js/panels/) and app.js read and
// write this one object, and keep no page state of their own. What a scanned certificate
// holds lives only in `report`, while its verdict is on screen.
import { readStorage } from './storage.js';

export const MODES = ['venue', 'traveller'];
export const MODE_KEY = 'dcc-verifier.mode';

export const state = {
  // Start-up (app.js)
  ready: false, // the verifier wasm is loaded and a trust list tried: codes can be checked
  version: null, // the verifier's version, shown in the footer
  offlineReady: false, // the service worker holds the whole site
  config: { trustListMaxAgeDays: 30 }, // www/config.json over these defaults
  policy: null, // www/trust/policy.json: production build, import, pinned keys (js/policy.js)
  updatePending: false, // a new version of the page is installed: reload once no verdict is shown
  mode: MODES.includes(readStorage(MODE_KEY)) ? readStorage(MODE_KEY) : 'venue',

  // Camera panel (panels/camera.js): what Camera last reported, `{ state, kind, detail, torch }`
  camera: { state: 'stopped' },

  // Trust panel (panels/trust.js)
  trust: null, // the active list: { list, name, date, source, ... } from trust.js
  trustError: null, // why no list could be loaded

  // Revocation line of the trust panel (panels/revocation.js)
  revocation: null, // the active revocation list: { list, entries, source, ... } from revocation.js
  revocationError: null, // why the bundled list could not be loaded

  // Rules panel (panels/rules.js, ../rules.js)
  rules: {
    config: null, // www/rules/config.json: { policy, national, valueSets, countries }
    traveller: '', // the traveller's choice: 'policy:vn' | 'country:FR' | '' (none)
    date: '', // the traveller's date and time (datetime-local), '' for now
    venue: '', // the venue's policy, as a choice ('' for none)
    result: null, // the rules' answer for the report on screen: { key, pending, error, value }
  },

  // Verdict screen (panels/verdict.js)
  report: null, // the report on screen, only while it is on screen
  checkedAt: 0, // when it was checked (ms): the verifier's clock and the context block's time
  source: null, // where its code came from: 'camera' | 'upload' | 'paste' | 'sample'
  recentText: null, // the code just dismissed, ignored by the camera for a moment
  recentTimer: 0,
};
