// The configuration in the URL hash, so a link reproduces the network (#config=<json>).

const KEY = "config=";

/**
 * The configuration encoded in the current hash, or null when there is none (or it is bad).
 * @returns {any | null}
 */
export function readConfig() {
  const hash = window.location.hash.replace(/^#/, "");
  if (!hash.startsWith(KEY)) return null;
  try {
    const value = JSON.parse(decodeURIComponent(hash.slice(KEY.length)));
    return value && typeof value === "object" ? value : null;
  } catch {
    return null;
  }
}

/**
 * Puts the configuration in the hash without adding a history entry.
 * @param {any} config
 */
export function writeConfig(config) {
  const hash = `#${KEY}${encodeURIComponent(JSON.stringify(config))}`;
  if (window.location.hash !== hash) window.history.replaceState(null, "", hash);
}
