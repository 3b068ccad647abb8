// The network configuration the page edits (the API's NetworkCreate body): defaults and the
// rules that keep it consistent (input size = features, output size = classes). Pure.

/** The page's starting network: the API's defaults, spelled out. */
export const DEFAULT_CONFIG = Object.freeze({
  layers: [2, 4, 4, 2],
  activations: ["tanh", "tanh", "softmax"],
  loss: "cross_entropy",
  init: "xavier",
  seed: 0,
  dataset: { kind: "circle", n: 200, noise: 0.1, classes: 2, test_fraction: 0.2, seed: 0, features: ["x1", "x2"] },
  optimizer: { name: "sgd", learning_rate: 0.1, momentum: 0 },
  batch_size: 10,
  l2: 0,
  residual: false,
});

export const MAX_WEIGHT_LAYERS = 8;
export const MAX_NEURONS = 1024;

/** name → [task, input dimension, min classes, max classes]; used when the catalog lacks them. */
const KNOWN_DATASETS = {
  circle: ["classification", 2, 2, 2],
  xor: ["classification", 2, 2, 2],
  gauss: ["classification", 2, 2, 2],
  moons: ["classification", 2, 2, 2],
  spiral: ["classification", 2, 2, 8],
  blobs: ["classification", 2, 2, 8],
  sine: ["regression", 1, 0, 0],
  plane: ["regression", 2, 0, 0],
};

/** Input features and the input dimension each needs (x2 needs 2-D points). */
export const FEATURES = Object.freeze([
  ["x1", 1], ["x2", 2], ["x1^2", 1], ["x2^2", 2], ["x1*x2", 2], ["sin(x1)", 1], ["sin(x2)", 2],
]);

export const HIDDEN_ACTIVATIONS = ["tanh", "relu", "leaky_relu", "sigmoid", "linear"];
export const OUTPUT_ACTIVATIONS = ["softmax", "linear", "sigmoid", "tanh", "relu", "leaky_relu"];
export const LOSSES = ["cross_entropy", "mse"];
export const INITS = ["xavier", "he", "uniform", "zeros"];
export const OPTIMIZERS = ["sgd", "adam"];
export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];

/**
 * @typedef {{task: "classification" | "regression", inputDim: number, minClasses: number,
 *            maxClasses: number}} DatasetInfo
 */

/**
 * What a dataset generator makes: from the API's catalog (GET /datasets: {datasets: [{name,
 * task, input_dim, classes: [min, max] | null}]}) when loaded, else built-in.
 * @param {string} kind
 * @param {any} [catalog]
 * @returns {DatasetInfo}
 */
export function datasetInfo(kind, catalog) {
  const known = KNOWN_DATASETS[kind] || KNOWN_DATASETS.circle;
  const entry = catalogEntry(catalog, kind);
  if (!entry) return { task: known[0], inputDim: known[1], minClasses: known[2], maxClasses: known[3] };
  const classes = Array.isArray(entry.classes) ? entry.classes : [0, 0];
  return { task: entry.task, inputDim: entry.input_dim, minClasses: classes[0], maxClasses: classes[1] };
}

/**
 * The dataset kinds offered, from the catalog when present.
 * @param {any} [catalog]
 * @returns {string[]}
 */
export function datasetKinds(catalog) {
  const list = catalog && catalog.datasets;
  return Array.isArray(list) ? list.map((d) => d.name) : Object.keys(KNOWN_DATASETS);
}

function catalogEntry(catalog, kind) {
  const list = catalog && catalog.datasets;
  return Array.isArray(list) ? list.find((d) => d.name === kind) : undefined;
}

/**
 * A consistent copy of `config`: input size = number of features, output size = classes
 * (or 1 for regression), softmax only last and only with classification, one activation per
 * weight layer.
 * @param {any} config
 * @param {any} [catalog]
 * @returns {any}
 */
export function normalizeConfig(config, catalog) {
  // A link may carry only part of a configuration: the defaults fill the rest.
  const given = structuredClone(config);
  const c = {
    ...structuredClone(DEFAULT_CONFIG), ...given,
    dataset: given.dataset?.kind === "points"
      ? given.dataset
      : { ...DEFAULT_CONFIG.dataset, ...(given.dataset || {}) },
    optimizer: given.optimizer?.name === "adam"
      ? { name: "adam", learning_rate: 0.01, ...given.optimizer }
      : { ...DEFAULT_CONFIG.optimizer, ...(given.optimizer || {}) },
  };
  if (!Array.isArray(c.layers)) c.layers = DEFAULT_CONFIG.layers.slice();
  if (!Array.isArray(c.activations)) c.activations = [];
  const ds = c.dataset;
  if (ds.kind === "points") return fixActivations(c); // explicit points: sizes as given
  const info = datasetInfo(ds.kind, catalog);
  const allowed = FEATURES.filter(([, dim]) => dim <= info.inputDim).map(([name]) => name);
  let features = (ds.features || []).filter((f) => allowed.includes(f));
  if (features.length === 0) features = info.inputDim === 1 ? ["x1"] : ["x1", "x2"];
  ds.features = features;
  const layers = c.layers.slice(0, MAX_WEIGHT_LAYERS + 1).map((n) => clampInt(n, 1, MAX_NEURONS));
  if (layers.length < 2) layers.push(2);
  layers[0] = features.length;
  c.layers = layers;
  const acts = fixActivations(c).activations;
  if (info.task === "regression") {
    delete ds.classes;
    c.loss = "mse";
    layers[layers.length - 1] = 1;
    if (acts[acts.length - 1] === "softmax") acts[acts.length - 1] = "linear";
  } else {
    ds.classes = clampInt(ds.classes ?? 2, info.minClasses, info.maxClasses);
    layers[layers.length - 1] = ds.classes;
    if (c.loss === "cross_entropy") acts[acts.length - 1] = "softmax";
  }
  c.activations = acts;
  return c;
}

/**
 * @typedef {{key: string, params: Record<string, any>}} Note what was changed to make a
 *   configuration fit, and why (keys under "notice." in the string tables)
 */

/**
 * A consistent configuration for `config` and what had to change to get it, given the one on
 * screen (`previous`): a new dataset kind of another task gets that task's loss and output
 * activation, one of another input dimension its default features; features that do not fit
 * and a class count out of range are corrected. Each correction is a note to show.
 * @param {any} config what the reader asked for
 * @param {any} previous the configuration on screen (null at start)
 * @param {any} [catalog]
 * @returns {{config: any, notes: Note[]}}
 */
export function fitConfig(config, previous, catalog) {
  const asked = safeConfig(config);
  const notes = [];
  const ds = asked.dataset;
  const points = ds.kind === "points";
  const info = datasetInfo(ds.kind, catalog);
  const kindChanged = previous && previous.dataset.kind !== ds.kind && !points;
  if (kindChanged) {
    const was = previous.dataset.kind === "points" ? null : datasetInfo(previous.dataset.kind, catalog);
    if (!was || was.task !== info.task) {
      asked.loss = info.task === "regression" ? "mse" : "cross_entropy";
      if (Array.isArray(asked.activations) && asked.activations.length) {
        asked.activations[asked.activations.length - 1] = info.task === "regression" ? "linear" : "softmax";
      }
    }
    if (!was || was.inputDim !== info.inputDim) ds.features = defaultFeatures(info.inputDim);
  }
  const c = normalizeConfig(asked, catalog);
  if (points) return { config: c, notes };
  const params = { dataset: ds.kind };
  if (previous && c.loss !== previous.loss && c.loss !== config.loss) notes.push({ key: "notice.loss", params: { ...params, loss: c.loss } });
  else if (kindChanged && c.loss !== previous.loss) notes.push({ key: "notice.loss", params: { ...params, loss: c.loss } });
  const out = c.activations.at(-1);
  if (previous && out !== previous.activations.at(-1) && kindChanged) {
    notes.push({ key: "notice.output", params: { ...params, activation: out } });
  }
  const wanted = Array.isArray(ds.features) ? ds.features : [];
  const before = previous ? previous.dataset.features || [] : wanted;
  if (String(c.dataset.features) !== String(wanted) || (kindChanged && String(c.dataset.features) !== String(before))) {
    notes.push({ key: "notice.features", params: { ...params, features: c.dataset.features.join(", "), dim: info.inputDim } });
  }
  const classes = Number(ds.classes);
  if (info.task === "classification" && ds.classes !== undefined && classes !== c.dataset.classes) {
    notes.push({ key: "notice.classes", params: { ...params, min: info.minClasses, max: info.maxClasses, value: c.dataset.classes } });
  }
  return { config: c, notes };
}

/** @param {number} inputDim */
function defaultFeatures(inputDim) {
  return inputDim === 1 ? ["x1"] : ["x1", "x2"];
}

/**
 * A copy with every field of the wrong type (a hand-edited link) replaced by its default.
 * @param {any} config
 * @returns {any}
 */
function safeConfig(config) {
  const given = config && typeof config === "object" && !Array.isArray(config) ? structuredClone(config) : {};
  const d = structuredClone(DEFAULT_CONFIG);
  const same = (v, def) => v !== null && v !== undefined && typeof v === typeof def && Array.isArray(v) === Array.isArray(def);
  const out = {};
  for (const [k, def] of Object.entries(d)) out[k] = same(given[k], def) ? given[k] : def;
  if (!out.layers.every((n) => Number.isFinite(n))) out.layers = d.layers;
  if (!out.activations.every((a) => typeof a === "string")) out.activations = d.activations;
  if (!Number.isFinite(out.seed)) out.seed = d.seed;
  const ds = given.dataset && typeof given.dataset === "object" ? given.dataset : {};
  if (ds.kind === "points") out.dataset = ds;
  else {
    out.dataset = {};
    for (const [k, def] of Object.entries(d.dataset)) out.dataset[k] = same(ds[k], def) ? ds[k] : def;
    if (ds.classes === undefined) delete out.dataset.classes;
    if (!out.dataset.features.every((f) => typeof f === "string")) out.dataset.features = d.dataset.features;
  }
  const opt = given.optimizer && typeof given.optimizer === "object" ? given.optimizer : {};
  out.optimizer = { ...opt };
  if (typeof opt.name !== "string") out.optimizer = d.optimizer;
  return out;
}

/**
 * One activation per weight layer (missing ones tanh), softmax only last.
 * @param {any} c a configuration (changed in place)
 * @returns {any} c
 */
function fixActivations(c) {
  const acts = c.activations.slice(0, c.layers.length - 1);
  while (acts.length < c.layers.length - 1) acts.splice(Math.max(0, acts.length - 1), 0, "tanh");
  for (let l = 0; l < acts.length - 1; l += 1) if (acts[l] === "softmax") acts[l] = "tanh";
  c.activations = acts;
  return c;
}

/**
 * @param {number} v
 * @param {number} lo
 * @param {number} hi
 * @returns {number}
 */
export function clampInt(v, lo, hi) {
  const n = Math.round(Number(v));
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : lo;
}

/**
 * The config with a hidden layer added after the last hidden one (or removed).
 * @param {any} config
 * @param {1 | -1} delta
 * @returns {any}
 */
export function changeLayerCount(config, delta) {
  const c = structuredClone(config);
  const hidden = c.layers.length - 2;
  if (delta > 0 && hidden + 1 <= MAX_WEIGHT_LAYERS - 1) {
    const width = hidden > 0 ? c.layers[c.layers.length - 2] : 4;
    const act = hidden > 0 ? c.activations[c.activations.length - 2] : "tanh";
    c.layers.splice(c.layers.length - 1, 0, width);
    c.activations.splice(c.activations.length - 1, 0, act);
  } else if (delta < 0 && hidden > 0) {
    c.layers.splice(c.layers.length - 2, 1);
    c.activations.splice(c.activations.length - 2, 1);
  }
  return c;
}

/**
 * The config with `delta` neurons more (or fewer) in layer k (a hidden layer).
 * @param {any} config
 * @param {number} k index into layers
 * @param {number} delta
 * @returns {any}
 */
export function changeNeurons(config, k, delta) {
  const c = structuredClone(config);
  c.layers[k] = clampInt(c.layers[k] + delta, 1, MAX_NEURONS);
  return c;
}
