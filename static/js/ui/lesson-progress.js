// The lesson's progress (chapters done), kept in localStorage so it survives a reload and a
// new tab.

const KEY = "backprop-lens:lesson";

/** @returns {string[]} ids of the chapters done */
export function loadDone() {
  try {
    const v = JSON.parse(window.localStorage.getItem(KEY) || "null");
    return v && Array.isArray(v.done) ? v.done.filter((x) => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** @param {string[]} done */
export function saveDone(done) {
  try {
    window.localStorage.setItem(KEY, JSON.stringify({ done }));
  } catch {
    // storage refused (private mode, quota): progress lasts until the page closes
  }
}
