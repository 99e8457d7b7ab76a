// One way to turn anything thrown (an Error, a string the wasm threw, a DOMException) into the
// text a status line shows.

/** The message of `error`, or the thrown value itself as text. */
export function messageOf(error) {
  return String(error?.message ?? error);
}
