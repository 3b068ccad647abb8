// The URL hash of a page mode (#lesson=<chapter>, #compare=<pair>): while it stands, the page's
// own network does not write its #config= over it; leaving the mode puts the network's back.

import { hashFor } from "./reopen.js";

/** @returns {"lesson" | "compare" | null} the mode the address names */
export function modeInHash() {
  const m = /^#(lesson|compare)=/.exec(window.location.hash);
  return m ? /** @type {"lesson" | "compare"} */ (m[1]) : null;
}

/**
 * The value after "#<mode>=", or null when the hash is not that mode's.
 * @param {"lesson" | "compare"} mode
 * @returns {string | null}
 */
export function modeValue(mode) {
  const prefix = `#${mode}=`;
  const hash = window.location.hash;
  return hash.startsWith(prefix) ? decodeURIComponent(hash.slice(prefix.length)) : null;
}

/**
 * Puts a mode's value in the address (no new history entry).
 * @param {"lesson" | "compare"} mode
 * @param {string} value
 */
export function writeMode(mode, value) {
  const hash = `#${mode}=${encodeURIComponent(value)}`;
  if (window.location.hash !== hash) window.history.replaceState(null, "", hash);
}

/**
 * Leaves a mode's hash: the address names the page's network again.
 * @param {any} config
 * @param {string | null} id
 */
export function leaveMode(config, id) {
  const hash = config && id ? hashFor(config, id) : "#";
  window.history.replaceState(null, "", hash === "#" ? window.location.pathname : hash);
}
