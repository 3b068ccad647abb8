// The guided lesson's chapters, in the lecture note's order: what network each sets up, which
// strings say what to look at and what to do, and when its task is done (a test on the page's
// state, never a timer). Pure data and predicates.

/** @typedef {import("./catalog.js").Catalog} Catalog */

/**
 * @typedef {object} LessonState what the page shows now
 * @property {any} config the network's configuration
 * @property {number} step updates the network has taken
 * @property {string} phase the phase key on screen ("idle", "forward-0", …, "update")
 * @property {string} tab the outputs tab shown ("curves", "chain", "softmax", "tools")
 * @property {{layer: number, i: number, j: number}} pick the weight the inspector explains
 * @property {boolean} collapse the linear-collapse card is shown
 */

/**
 * @typedef {object} Chapter
 * @property {string} id its name in the URL (#lesson=<id>) and in the strings (lesson.<id>.*)
 * @property {(catalog: Catalog) => any} config the network it sets up (a NetworkCreate body
 *   built on the API's defaults)
 * @property {(s: LessonState) => boolean} done its task is done
 */

/** Data sets on the API's default one: the circle, three blobs, a spiral. */
const CIRCLE = {};
const BLOBS = { kind: "blobs", classes: 3 };
const SPIRAL = { kind: "spiral", n: 300, classes: 2 };

/**
 * A chapter's network: the API's defaults with these layers, one hidden activation and the
 * classification output, the dataset changed by `data`.
 * @param {number[]} layers
 * @param {string} act hidden activation
 * @param {any} data fields of the default dataset changed
 * @param {object} [over] other fields
 * @returns {(catalog: Catalog) => any}
 */
function net(layers, act, data, over = {}) {
  return (catalog) => {
    const defaults = catalog.defaults;
    const output = catalog.task("classification").output;
    return {
      ...defaults,
      layers: layers.slice(),
      activations: [...layers.slice(1, -1).map(() => act), output],
      dataset: { ...defaults.dataset, ...data },
      ...structuredClone(over),
    };
  };
}

const hiddenCount = (c) => c.layers.length - 2;
const weightLayers = (c) => c.layers.length - 1;

/** @type {readonly Chapter[]} */
export const CHAPTERS = Object.freeze([
  {
    id: "linear",
    config: net([2, 3], "tanh", BLOBS),
    done: (s) => weightLayers(s.config) === 1 && s.step >= 1,
  },
  {
    id: "softmax",
    config: net([2, 3], "tanh", BLOBS),
    done: (s) => s.config.activations.at(-1) === "softmax" && s.step >= 1 && s.tab === "softmax",
  },
  {
    id: "activation",
    config: net([2, 4, 4, 2], "tanh", CIRCLE),
    done: (s) => hiddenCount(s.config) >= 1 && s.config.activations.slice(0, -1).every((a) => a === "linear") && s.collapse,
  },
  {
    id: "forward",
    config: net([2, 4, 4, 2], "tanh", CIRCLE),
    done: (s) => s.phase === `forward-${weightLayers(s.config) - 1}`,
  },
  {
    id: "deep",
    config: net([2, 8, 2], "tanh", SPIRAL, { optimizer: { name: "adam", learning_rate: 0.01 } }),
    done: (s) => hiddenCount(s.config) >= 3 && s.step >= 200,
  },
  {
    id: "chain",
    config: net([2, 4, 4, 2], "sigmoid", CIRCLE),
    done: (s) => weightLayers(s.config) >= 3 && s.phase === "backward-0",
  },
  {
    id: "twolayer",
    config: net([2, 3, 2], "sigmoid", CIRCLE),
    done: (s) => weightLayers(s.config) === 2 && s.tab === "chain" && s.pick.layer === 0 && s.pick.i === 1 && s.pick.j === 0,
  },
  {
    id: "residual",
    config: net([2, 8, 8, 8, 8, 8, 8, 2], "sigmoid", CIRCLE, {
      residual: true, optimizer: { name: "sgd", learning_rate: 0.3, momentum: 0 },
    }),
    done: (s) => s.config.residual === true && s.step >= 100 && s.tab === "curves",
  },
]);

/**
 * @param {string} id
 * @returns {number} the chapter's index, or -1
 */
export function chapterIndex(id) {
  return CHAPTERS.findIndex((c) => c.id === id);
}

/**
 * The chapter to open for a stored progress: the first not done (the first when all are).
 * @param {string[]} done ids of the chapters done
 * @returns {string}
 */
export function firstOpen(done) {
  const c = CHAPTERS.find((x) => !done.includes(x.id));
  return (c || CHAPTERS[0]).id;
}
