// Compare mode's pair of configurations: the presets, the fields both networks share (data,
// seed, batch size), swapping and copying settings, the parameter count. Pure.

import { isFinished } from "./phases.js";
import { nextPhase } from "./shown-step.js";

/** Fields the two networks always share: the same data, seed and batches (the lockstep). */
export const SHARED = Object.freeze(["dataset", "seed", "batch_size"]);

/** Compare presets in the order the page offers them. */
export const COMPARE_PRESETS = Object.freeze(["deep-wide", "sigmoid-relu", "plain-residual", "sgd-adam", "mse-ce"]);

/**
 * @typedef {{a: any, b: any, preset: string | null}} Pair two NetworkCreate bodies; `preset`
 *   names the preset they came from (null once edited)
 */

/** @typedef {import("./catalog.js").Catalog} Catalog */

const DEEP8 = [8, 8, 8, 8, 8, 8];

/**
 * The pair of a preset: A and B differ in the one thing the preset is about. Built on the
 * API's defaults (the catalog's), so every field the server takes is there.
 * @param {string} name one of COMPARE_PRESETS
 * @param {Catalog} catalog
 * @returns {Pair}
 */
export function presetPair(name, catalog) {
  const defaults = catalog.defaults;
  const output = catalog.task("classification").output;
  const hidden = (widths, act) => ({
    layers: [defaults.layers[0], ...widths, defaults.layers.at(-1)],
    activations: [...widths.map(() => act), output],
  });
  // Spiral data where depth wins (scripts/compare_depth.py checks it through the API).
  const spiral = { ...defaults.dataset, kind: "spiral", n: 300, classes: 2 };
  const circle = { ...defaults.dataset };
  const sgd = (lr) => ({ ...catalog.optimizerDefaults("sgd"), name: "sgd", learning_rate: lr, momentum: 0 });
  const adam = (lr) => ({ ...catalog.optimizerDefaults("adam"), name: "adam", learning_rate: lr });
  const base = { ...defaults, seed: 0, batch_size: 10, l2: 0 };
  const with_ = (over) => ({ ...structuredClone(base), ...structuredClone(over) });
  if (name === "deep-wide") {
    // 258 against 262 parameters: the same budget, spent on depth or on width.
    const common = { dataset: spiral, init: "xavier", optimizer: adam(0.01) };
    return { a: with_({ ...common, ...hidden([8, 8, 8, 8], "tanh") }), b: with_({ ...common, ...hidden([52], "tanh") }), preset: name };
  }
  if (name === "sigmoid-relu") {
    const common = { dataset: circle, optimizer: sgd(0.1) };
    return {
      a: with_({ ...common, ...hidden(DEEP8, "sigmoid"), init: "xavier" }),
      b: with_({ ...common, ...hidden(DEEP8, "relu"), init: "he" }),
      preset: name,
    };
  }
  if (name === "plain-residual") {
    // At η = 0.3 the plain network stays stuck near chance while the residual one learns.
    const common = { dataset: circle, init: "xavier", optimizer: sgd(0.3), ...hidden(DEEP8, "sigmoid") };
    return { a: with_({ ...common, residual: false }), b: with_({ ...common, residual: true }), preset: name };
  }
  if (name === "sgd-adam") {
    const common = { dataset: spiral, init: "xavier", ...hidden([8, 8], "tanh") };
    return { a: with_({ ...common, optimizer: sgd(0.01) }), b: with_({ ...common, optimizer: adam(0.01) }), preset: name };
  }
  // mse-ce: the same softmax network, two losses.
  const common = { dataset: circle, init: "xavier", optimizer: sgd(0.1), ...hidden([4, 4], "tanh") };
  return { a: with_({ ...common, loss: "mse" }), b: with_({ ...common, loss: "cross_entropy" }), preset: "mse-ce" };
}

/**
 * Weights and biases of a network of these layer sizes: Σ (n_in · n_out + n_out).
 * @param {number[]} layers neurons per layer, input first
 * @returns {number}
 */
export function paramCount(layers) {
  let n = 0;
  for (let l = 1; l < layers.length; l += 1) n += layers[l - 1] * layers[l] + layers[l];
  return n;
}

/**
 * `target` with the shared fields (data, seed, batch size) taken from `source`.
 * @param {any} target
 * @param {any} source
 * @returns {any}
 */
export function shareFrom(target, source) {
  const c = structuredClone(target);
  for (const k of SHARED) c[k] = structuredClone(source[k]);
  return c;
}

/**
 * @param {Pair} pair
 * @returns {Pair} A and B exchanged (no longer the preset, whose words name A and B)
 */
export function swapPair(pair) {
  return { a: structuredClone(pair.b), b: structuredClone(pair.a), preset: null };
}

/**
 * One network's settings copied onto the other ("a" → B or "b" → A).
 * @param {Pair} pair
 * @param {"a" | "b"} from
 * @returns {Pair}
 */
export function copyPair(pair, from) {
  const src = structuredClone(from === "a" ? pair.a : pair.b);
  return { a: src, b: structuredClone(src), preset: null };
}

/**
 * A pair edited on one side: the shared fields follow the edited side.
 * @param {Pair} pair
 * @param {"a" | "b"} side
 * @param {any} config the edited side's new configuration
 * @returns {Pair}
 */
export function editPair(pair, side, config) {
  const other = shareFrom(side === "a" ? pair.b : pair.a, config);
  return side === "a" ? { a: config, b: other, preset: null } : { a: other, b: config, preset: null };
}

/**
 * The pair in a link's hash value, or null when it is not one.
 * @param {string} text the JSON after "#compare="
 * @returns {Pair | null}
 */
export function parsePair(text) {
  try {
    const v = JSON.parse(text);
    if (!v || typeof v !== "object" || !isObject(v.a) || !isObject(v.b)) return null;
    return { a: v.a, b: shareFrom(v.b, v.a), preset: COMPARE_PRESETS.includes(v.preset) ? v.preset : null };
  } catch {
    return null;
  }
}

/**
 * @param {Pair} pair
 * @returns {string} the JSON a link carries
 */
export function pairText(pair) {
  return JSON.stringify({ a: pair.a, b: pair.b, preset: pair.preset });
}

/**
 * Hidden widths written as the page's editor shows them ("8, 8, 8").
 * @param {number[]} layers
 * @returns {string}
 */
export function hiddenText(layers) {
  return layers.slice(1, -1).join(", ");
}

/**
 * The layer sizes for a hidden-widths text, or null when it is not a list of whole numbers
 * (an empty text: no hidden layer).
 * @param {string} text
 * @param {number[]} layers the current sizes (their input and output sizes are kept)
 * @returns {number[] | null}
 */
export function parseHidden(text, layers) {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!parts.every((p) => /^\d+$/.test(p) && Number(p) >= 1)) return null;
  return [layers[0], ...parts.map(Number), layers[layers.length - 1]];
}

/**
 * What is wrong with a hidden-widths text, or null when it fits the limits: the first part that
 * is no whole number from 1 to `maxWidth`, or too many hidden layers.
 * @param {string} text
 * @param {number} maxWidth neurons a layer may have at most
 * @param {number} maxHidden hidden layers at most
 * @returns {{key: string, params: Record<string, string | number>} | null} an i18n key
 */
export function hiddenProblem(text, maxWidth, maxHidden) {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const bad = parts.find((p) => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > maxWidth);
  if (bad !== undefined) return { key: "compare.hidden_bad_width", params: { part: bad } };
  if (parts.length > maxHidden) return { key: "compare.hidden_bad_depth", params: { count: parts.length } };
  return null;
}

/**
 * One configuration with a hidden-layer list, a hidden activation and the output activation
 * kept; the activations follow the new number of layers.
 * @param {any} config
 * @param {number[]} layers
 * @param {string} act the activation of every hidden layer
 * @returns {any}
 */
export function withHidden(config, layers, act) {
  const c = structuredClone(config);
  c.layers = layers;
  c.activations = [...layers.slice(1, -1).map(() => act), config.activations.at(-1)];
  return c;
}

/**
 * The activation the hidden layers use ("mixed" when they differ, null with none).
 * @param {any} config
 * @returns {string | null}
 */
export function hiddenActivation(config) {
  const acts = config.activations.slice(0, -1);
  if (acts.length === 0) return null;
  return acts.every((a) => a === acts[0]) ? acts[0] : "mixed";
}

const RANK = { forward: 0, loss: 1, backward: 2, update: 3 };

/**
 * Which of several phase machines move on one Phase press, so that networks of different
 * depths go through the step together: all forward, then the loss together, then backward,
 * then the update together (the shallower one waits at the end of a stage).
 * @param {import("./phases.js").PhaseMachine[]} machines
 * @returns {boolean[]} advance this one
 */
export function lockstepPhases(machines) {
  const next = machines.map((m) => (isFinished(m) ? Infinity : RANK[m.phases[m.index + 1].kind]));
  const lowest = Math.min(...next);
  return next.map((r) => r === lowest && r !== Infinity);
}

/**
 * Both steps on screen one phase further, in lockstep (lockstepPhases): one Phase press, or
 * one tick of a step animated in play mode.
 * @param {{a: import("./shown-step.js").ShownStep, b: import("./shown-step.js").ShownStep}} pair
 * @returns {{a: import("./shown-step.js").ShownStep, b: import("./shown-step.js").ShownStep}}
 */
export function nextPairPhase({ a, b }) {
  const [moveA, moveB] = lockstepPhases([a.machine, b.machine]);
  return { a: moveA ? nextPhase(a) : a, b: moveB ? nextPhase(b) : b };
}

/**
 * @param {{a: import("./shown-step.js").ShownStep, b: import("./shown-step.js").ShownStep}} pair
 * @returns {number} the lockstep phases left to show (nextPairPhase calls until both are done)
 */
export function pairPhasesLeft(pair) {
  let n = 0;
  for (let p = pair; !(isFinished(p.a.machine) && isFinished(p.b.machine)); p = nextPairPhase(p)) n += 1;
  return n;
}

function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
