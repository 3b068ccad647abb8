// The guided lesson's chapters, in the lecture note's order: what network each sets up, which
// strings say what to look at and what to do, and when its task is done (a test on the page's
// state, never a timer). Pure data and predicates.

import { DEFAULT_CONFIG } from "./config.js";

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
 * @property {any} config the network it sets up (a NetworkCreate body)
 * @property {(s: LessonState) => boolean} done its task is done
 */

const CIRCLE = { ...DEFAULT_CONFIG.dataset };
const BLOBS = { ...DEFAULT_CONFIG.dataset, kind: "blobs", classes: 3 };
const SPIRAL = { ...DEFAULT_CONFIG.dataset, kind: "spiral", n: 300, classes: 2 };

/**
 * @param {number[]} layers
 * @param {string} act hidden activation
 * @param {object} [over] other fields
 */
function net(layers, act, over = {}) {
  return {
    ...structuredClone(DEFAULT_CONFIG),
    layers,
    activations: [...layers.slice(1, -1).map(() => act), "softmax"],
    ...structuredClone(over),
  };
}

const hiddenCount = (c) => c.layers.length - 2;
const weightLayers = (c) => c.layers.length - 1;

/** @type {readonly Chapter[]} */
export const CHAPTERS = Object.freeze([
  {
    id: "linear",
    config: net([2, 3], "tanh", { dataset: BLOBS }),
    done: (s) => weightLayers(s.config) === 1 && s.step >= 1,
  },
  {
    id: "softmax",
    config: net([2, 3], "tanh", { dataset: BLOBS }),
    done: (s) => s.config.activations.at(-1) === "softmax" && s.step >= 1 && s.tab === "softmax",
  },
  {
    id: "activation",
    config: net([2, 4, 4, 2], "tanh", { dataset: CIRCLE }),
    done: (s) => hiddenCount(s.config) >= 1 && s.config.activations.slice(0, -1).every((a) => a === "linear") && s.collapse,
  },
  {
    id: "forward",
    config: net([2, 4, 4, 2], "tanh", { dataset: CIRCLE }),
    done: (s) => s.phase === `forward-${weightLayers(s.config) - 1}`,
  },
  {
    id: "deep",
    config: net([2, 8, 2], "tanh", { dataset: SPIRAL, optimizer: { name: "adam", learning_rate: 0.01 } }),
    done: (s) => hiddenCount(s.config) >= 3 && s.step >= 200,
  },
  {
    id: "chain",
    config: net([2, 4, 4, 2], "sigmoid", { dataset: CIRCLE }),
    done: (s) => weightLayers(s.config) >= 3 && s.phase === "backward-0",
  },
  {
    id: "twolayer",
    config: net([2, 3, 2], "sigmoid", { dataset: CIRCLE }),
    done: (s) => weightLayers(s.config) === 2 && s.tab === "chain" && s.pick.layer === 0 && s.pick.i === 1 && s.pick.j === 0,
  },
  {
    id: "residual",
    config: net([2, 8, 8, 8, 8, 8, 8, 2], "sigmoid", {
      dataset: CIRCLE, residual: true, optimizer: { name: "sgd", learning_rate: 0.3, momentum: 0 },
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
