// Globals Node code expects, injected into the dcc-sdk bundle (build-dcc-sdk.mjs).
import { Buffer } from 'buffer';
import process from './node_modules/process/browser.js';
export { Buffer, process };
