// Building DOM nodes. Text only ever goes in as text nodes (textContent): certificate data is
// never parsed as HTML.

/**
 * `el('p', { class: 'x', 'aria-live': 'polite' }, 'text', child, ...)`. Strings and numbers become
 * text nodes; null, undefined and false children are skipped; arrays are flattened.
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  setAttributes(node, attributes);
  append(node, children);
  return node;
}

function setAttributes(node, attributes) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** The element with this id. */
export const byId = (id) => document.getElementById(id);

/** Shows `text` in a status line (`kind`: '', 'busy', 'ok' or 'error'). */
export function setStatus(id, text, kind = '') {
  const node = byId(id);
  node.textContent = text;
  node.className = `status ${kind}`.trim();
}

/** Whether typing into `node` edits it (so that keys typed there are not taken as a code). */
export function isEditable(node) {
  if (!node) return false;
  if (node.isContentEditable || node.tagName === 'TEXTAREA' || node.tagName === 'SELECT') return true;
  return node.tagName === 'INPUT' && ['text', 'search', 'url', 'email', 'number', 'password', 'tel', ''].includes(node.type);
}

const SVG = 'http://www.w3.org/2000/svg';

// Icons drawn on a 24×24 grid with a 2-unit stroke; each verdict has its own shape, so that the
// verdict never depends on colour alone.
const ICONS = {
  valid: [['circle', { cx: 12, cy: 12, r: 10 }], ['path', { d: 'M7 12.5l3.2 3.2L17.2 9' }]],
  invalid: [['circle', { cx: 12, cy: 12, r: 10 }], ['path', { d: 'M8.5 8.5l7 7M15.5 8.5l-7 7' }]],
  revoked: [['circle', { cx: 12, cy: 12, r: 10 }], ['path', { d: 'M4.9 4.9l14.2 14.2' }]],
  expired: [['circle', { cx: 12, cy: 12, r: 10 }], ['path', { d: 'M12 6.5V12l3.8 2.6' }]],
  not_yet_valid: [['path', { d: 'M6.5 3h11M6.5 21h11M8 3v3.2c0 2.4 4 3.6 4 5.8s-4 3.4-4 5.8V21M16 3v3.2c0 2.4-4 3.6-4 5.8s4 3.4 4 5.8V21' }]],
  unknown_signer: [['circle', { cx: 12, cy: 12, r: 10 }], ['path', { d: 'M9.3 9.2a2.8 2.8 0 1 1 4 2.5c-.8.4-1.3 1-1.3 1.9v.6' }], ['circle', { cx: 12, cy: 17.3, r: 0.6, class: 'dot' }]],
  not_a_dcc: [['path', { d: 'M6 2.8h8.2L18 6.6V21.2H6z' }], ['path', { d: 'M3.5 3.5l17 17' }]],
  pass: [['path', { d: 'M5 12.5l4.2 4.2L19 7' }]],
  fail: [['path', { d: 'M6.5 6.5l11 11M17.5 6.5l-11 11' }]],
  skip: [['path', { d: 'M6 12h12' }]],
  warning: [['path', { d: 'M12 5.5v8' }], ['path', { d: 'M12 18.2v.3' }]],
};

/** An inline SVG icon (decorative: the words next to it carry the meaning). */
export function icon(name, className = 'icon') {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const [tag, attributes] of ICONS[name] ?? []) {
    const shape = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes)) shape.setAttribute(key, String(value));
    svg.append(shape);
  }
  return svg;
}
