// Read-only state for tests and the curious (window.__lens), and the body's data-ready,
// data-playing and data-busy (API work queued or in flight) attributes.

let busy = 0;

/**
 * Marks the body busy until `work` settles (tests wait for data-busy="0" after an action).
 * @template T
 * @param {Promise<T>} work
 * @returns {Promise<T>}
 */
export function trackBusy(work) {
  busy += 1;
  document.body.dataset.busy = String(busy);
  const done = () => {
    busy -= 1;
    document.body.dataset.busy = String(busy);
  };
  work.then(done, done);
  return work;
}

/**
 * @param {object} state getters of the page's state
 * @param {() => string} state.phase
 * @param {() => number} state.step
 * @param {() => string | null} state.networkId
 * @param {() => any} state.lastStep
 * @param {() => number} state.row
 * @param {() => boolean} state.playing
 * @param {() => any} state.config
 * @returns {() => void} marks the body with the current state
 */
export function exposeLens(state) {
  const lens = Object.freeze({
    get phase() { return state.phase(); },
    get step() { return state.step(); },
    get networkId() { return state.networkId(); },
    get lastStep() { return state.lastStep(); },
    get row() { return state.row(); },
    get playing() { return state.playing(); },
    get config() { return structuredClone(state.config()); },
  });
  Object.defineProperty(window, "__lens", { value: lens });
  return () => {
    document.body.dataset.ready = "true";
    document.body.dataset.playing = String(state.playing());
  };
}
