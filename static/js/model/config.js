// The network configuration the page edits (the API's NetworkCreate body) and the rules that
// keep it consistent (input size = features, output size = classes, a loss and output the task
// takes). Every name, default and limit comes from the API's catalog (./catalog.js). Pure.

/** @typedef {import("./catalog.js").Catalog} Catalog */

/**
 * The task a configuration's dataset is of (a generator's, or what explicit points say).
 * @param {any} config
 * @param {Catalog} catalog
 * @returns {"classification" | "regression"}
 */
export function taskOf(config, catalog) {
  return catalog.dataset(config.dataset).task;
}

/**
 * A consistent copy of `config`: input size = number of features, output size = classes
 * (or 1 for regression), a loss the task takes and an output activation that loss takes
 * there (the catalog says which), hidden activations the catalog offers, one per weight layer.
 * @param {any} config
 * @param {Catalog} catalog
 * @returns {any}
 */
export function normalizeConfig(config, catalog) {
  // A link may carry only part of a configuration: the defaults fill the rest.
  const defaults = catalog.defaults;
  const given = structuredClone(config);
  const c = {
    ...defaults, ...given,
    dataset: given.dataset?.kind === "points"
      ? given.dataset
      : { ...defaults.dataset, ...(given.dataset || {}) },
    optimizer: optimizerOf(given.optimizer, catalog),
  };
  if (!Array.isArray(c.layers)) c.layers = defaults.layers.slice();
  if (!Array.isArray(c.activations)) c.activations = [];
  const ds = c.dataset;
  if (ds.kind === "points") return fixActivations(c, catalog); // explicit points: sizes as given
  // An unknown kind is kept (the API names it in its refusal); the rest fits the default one.
  const info = catalog.dataset(ds);
  const allowed = catalog.features(info.inputDim);
  let features = (ds.features || []).filter((f) => allowed.includes(f));
  if (features.length === 0) features = info.features.slice();
  ds.features = features;
  const layers = c.layers.slice(0, catalog.maxWeightLayers + 1).map((n) => clampInt(n, 1, catalog.maxWidth));
  if (layers.length < 2) layers.push(1);
  layers[0] = features.length;
  c.layers = layers;
  const acts = fixActivations(c, catalog).activations;
  const task = catalog.task(info.task);
  if (!catalog.losses(info.task).includes(c.loss)) c.loss = task.loss;
  if (info.task === "regression") {
    delete ds.classes;
    layers[layers.length - 1] = 1; // a generated regression has one target
  } else {
    ds.classes = clampInt(ds.classes ?? defaults.dataset.classes, info.minClasses, info.maxClasses);
    layers[layers.length - 1] = ds.classes; // one output neuron per class, whatever the loss
  }
  const outputs = catalog.outputs(info.task, c.loss);
  if (!outputs.includes(acts[acts.length - 1])) {
    acts[acts.length - 1] = outputs.includes(task.output) ? task.output : outputs[0];
  }
  c.activations = acts;
  return c;
}

/**
 * An optimizer the catalog knows, its defaults filled in (Adam's learning rate is Adam's).
 * @param {any} given
 * @param {Catalog} catalog
 */
function optimizerOf(given, catalog) {
  const fallback = catalog.defaults.optimizer;
  if (!given) return fallback;
  const name = given.name ?? fallback.name; // a link may give a learning rate alone
  if (!catalog.optimizers.includes(name)) return fallback;
  return { ...catalog.optimizerDefaults(name), ...given, name };
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
 * A loss the new task also takes (MSE on classification, say) is kept.
 * @param {any} config what the reader asked for
 * @param {any} previous the configuration on screen (null at start)
 * @param {Catalog} catalog
 * @returns {{config: any, notes: Note[]}}
 */
export function fitConfig(config, previous, catalog) {
  const asked = safeConfig(config, catalog);
  const notes = [];
  const ds = asked.dataset;
  const points = ds.kind === "points";
  const info = catalog.dataset(ds);
  const kindChanged = previous && previous.dataset.kind !== ds.kind && !points;
  if (kindChanged) {
    const was = previous.dataset.kind === "points" ? null : catalog.dataset(previous.dataset);
    if (!was || was.task !== info.task) {
      const task = catalog.task(info.task);
      asked.loss = task.loss;
      if (Array.isArray(asked.activations) && asked.activations.length) {
        asked.activations[asked.activations.length - 1] = task.output;
      }
    }
    if (!was || was.inputDim !== info.inputDim) ds.features = info.features.slice();
  }
  const c = normalizeConfig(asked, catalog);
  if (points) return { config: c, notes };
  const params = { dataset: ds.kind };
  if (previous && c.loss !== previous.loss && c.loss !== config.loss) notes.push({ key: "notice.loss", params: { ...params, loss: c.loss } });
  else if (kindChanged && c.loss !== previous.loss) notes.push({ key: "notice.loss", params: { ...params, loss: c.loss } });
  const out = c.activations.at(-1);
  if (previous && out !== previous.activations.at(-1) && kindChanged) {
    notes.push({ key: "notice.output", params: { ...params, activation: out } });
  } else if (previous && out !== asked.activations.at(-1) && c.loss !== previous.loss) {
    notes.push({ key: "notice.output_loss", params: { ...params, activation: out, loss: c.loss } });
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

/**
 * A copy with every field of the wrong type (a hand-edited link) replaced by its default.
 * @param {any} config
 * @param {Catalog} catalog
 * @returns {any}
 */
function safeConfig(config, catalog) {
  const given = config && typeof config === "object" && !Array.isArray(config) ? structuredClone(config) : {};
  const d = catalog.defaults;
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
  out.optimizer = { ...opt }; // a missing or unknown name: normalizeConfig's optimizerOf decides
  return out;
}

/**
 * One activation per weight layer, the hidden ones among the catalog's hidden activations
 * (missing or other ones: the default network's first).
 * @param {any} c a configuration (changed in place)
 * @param {Catalog} catalog
 * @returns {any} c
 */
function fixActivations(c, catalog) {
  const fill = hiddenDefault(catalog);
  const acts = c.activations.slice(0, c.layers.length - 1);
  while (acts.length < c.layers.length - 1) acts.splice(Math.max(0, acts.length - 1), 0, fill);
  const hidden = catalog.hidden;
  for (let l = 0; l < acts.length - 1; l += 1) if (!hidden.includes(acts[l])) acts[l] = fill;
  c.activations = acts;
  return c;
}

/** @param {Catalog} catalog @returns {string} the default network's first activation */
function hiddenDefault(catalog) {
  const d = catalog.defaults;
  return d.layers.length > 2 ? d.activations[0] : catalog.hidden[0];
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
 * A whole number typed in a form field, fitted to what the API accepts: rounded to a whole
 * number and brought within `bound` (the catalog's), with a note naming the field and the
 * range when it had to change; text that is no number keeps `current`.
 * @param {string} text what the field holds
 * @param {import("./catalog.js").Bound} bound
 * @param {string} field the field's label (a string key)
 * @param {number} current the value the network has
 * @returns {{value: number, note: Note | null}}
 */
export function fitWhole(text, bound, field, current) {
  const lo = bound.min_exclusive ? Math.floor(bound.min) + 1 : Math.ceil(bound.min);
  const hi = bound.max_exclusive ? Math.ceil(bound.max) - 1 : Math.floor(bound.max);
  const params = { field, min: lo, max: hi };
  const typed = String(text).trim() === "" ? NaN : Number(text);
  if (!Number.isFinite(typed)) return { value: current, note: { key: "notice.whole_kept", params: { ...params, value: current } } };
  const value = Math.min(hi, Math.max(lo, Math.round(typed)));
  return { value, note: value === typed ? null : { key: "notice.whole", params: { ...params, value } } };
}

/**
 * The config with a hidden layer added after the last hidden one (or removed).
 * @param {any} config
 * @param {1 | -1} delta
 * @param {Catalog} catalog
 * @returns {any}
 */
export function changeLayerCount(config, delta, catalog) {
  const c = structuredClone(config);
  const hidden = c.layers.length - 2;
  if (delta > 0 && hidden + 1 <= catalog.maxWeightLayers - 1) {
    const d = catalog.defaults;
    const width = hidden > 0 ? c.layers[c.layers.length - 2] : d.layers[Math.min(1, d.layers.length - 1)];
    const act = hidden > 0 ? c.activations[c.activations.length - 2] : hiddenDefault(catalog);
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
 * @param {Catalog} catalog
 * @returns {any}
 */
export function changeNeurons(config, k, delta, catalog) {
  const c = structuredClone(config);
  c.layers[k] = clampInt(c.layers[k] + delta, 1, catalog.maxWidth);
  return c;
}
