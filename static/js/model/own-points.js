// Your own data: points drawn on the plot or imported as CSV, and the configuration that trains
// on them (the API's `points` dataset). Classification points are (x1, x2, class); regression
// points are (x, y) for a 1-D fit.

import { inBound } from "./catalog.js";

/**
 * @typedef {{task: "classification" | "regression", points: number[][], y: number[]}} OwnData
 *   points: (x1, x2) rows, or (x) rows for regression; y: class indices or target values
 */

/**
 * The own data a configuration trains on, or null when its dataset is generated.
 * @param {any} config
 * @returns {OwnData | null}
 */
export function ownDataOf(config) {
  const ds = config && config.dataset;
  if (!ds || ds.kind !== "points" || !Array.isArray(ds.points)) return null;
  const dim = ds.points[0] ? ds.points[0].length : 0;
  const regression = ds.task === "regression";
  if ((regression && dim !== 1) || (!regression && dim !== 2)) return null; // not drawable
  const y = ds.y.map((v) => (Array.isArray(v) ? v[0] : v));
  return { task: regression ? "regression" : "classification", points: ds.points.map((p) => p.slice()), y };
}

/**
 * A copy of `config` that trains on `own`: inputs, output layer, loss and activations fit it
 * (a loss the task takes is kept, else the task's default; likewise the output activation).
 * @param {any} config
 * @param {OwnData} own
 * @param {import("./catalog.js").Catalog} catalog
 * @returns {any}
 */
export function configFor(config, own, catalog) {
  const c = structuredClone(config);
  const regression = own.task === "regression";
  const fewest = catalog.dataset({ kind: "points", task: own.task }).minClasses;
  const classes = regression ? 0 : Math.max(fewest, ...own.y.map((v) => v + 1));
  const old = c.dataset || {};
  const defaults = catalog.defaults.dataset;
  c.dataset = {
    kind: "points", task: own.task, points: own.points.map((p) => p.slice()),
    y: regression ? own.y.map((v) => [v]) : own.y.slice(),
    test_fraction: old.test_fraction ?? defaults.test_fraction, seed: old.seed ?? defaults.seed,
  };
  if (!regression) c.dataset.classes = classes;
  c.layers = c.layers.slice();
  c.layers[0] = regression ? 1 : 2;
  c.layers[c.layers.length - 1] = regression ? 1 : classes;
  c.activations = c.activations.slice();
  const task = catalog.task(own.task);
  if (!catalog.losses(own.task).includes(c.loss)) c.loss = task.loss;
  const outputs = catalog.outputs(own.task, c.loss);
  const last = c.activations.length - 1;
  if (!outputs.includes(c.activations[last])) c.activations[last] = outputs.includes(task.output) ? task.output : outputs[0];
  return c;
}

/**
 * Reads CSV or pasted text: `x1,x2,label` rows (classification) or `x,y` rows (1-D
 * regression), commas, semicolons, tabs or spaces between values; a first line with no number
 * in it is a header. Every line must have the same columns as the first, every value be a
 * finite number within the API's bound for a point (the catalog's `point`).
 * @param {string} text
 * @param {{classes: number, bound: import("./catalog.js").Bound}} accepts labels go from 0
 *   to classes − 1; coordinates and targets lie within `bound`
 * @returns {{ok: true, data: OwnData} | {ok: false, line: number, problem: string, args: object}}
 *   problem: a string key (import.*) with its arguments
 */
export function parseCsv(text, { classes, bound }) {
  const lines = text.split(/\r?\n/);
  /** @type {number[][]} */
  const rows = [];
  let header = false;
  for (let k = 0; k < lines.length; k += 1) {
    const line = lines[k].trim();
    if (!line || line.startsWith("#")) continue;
    const cells = line.split(/\s*[,;\t]\s*|\s+/).filter((s) => s !== "");
    const values = cells.map(Number);
    const number = (s, i) => Number.isFinite(values[i]) && NUMBER.test(s);
    if (rows.length === 0 && !header && !cells.some(number)) { // a header
      header = true;
      continue;
    }
    const fail = (problem, args) => ({ ok: /** @type {const} */ (false), line: k + 1, problem, args });
    const bad = cells.findIndex((s, i) => !number(s, i));
    if (bad >= 0) {
      const value = cells[bad];
      return fail(NOT_FINITE.test(value) ? "import.not_finite" : "import.not_number", { value });
    }
    if (cells.length !== 2 && cells.length !== 3) return fail("import.columns", { n: cells.length });
    if (rows.length && cells.length !== rows[0].length) {
      return fail("import.mixed", { n: cells.length, first: rows[0].length });
    }
    const label = cells.length === 3 ? 2 : -1; // the class column, not a point's number
    const out = values.findIndex((v, i) => i !== label && !inBound(bound, v));
    if (out >= 0) return fail("import.range", { value: cells[out], min: bound.min, max: bound.max });
    if (label > 0) {
      const v = values[label];
      if (!Number.isInteger(v) || v < 0 || v >= classes) {
        return fail("import.label", { value: cells[label], max: classes - 1 });
      }
    }
    rows.push(values);
  }
  if (rows.length === 0) return { ok: false, line: 0, problem: "import.empty", args: {} };
  const regression = rows[0].length === 2;
  return {
    ok: true,
    data: {
      task: regression ? "regression" : "classification",
      points: rows.map((r) => (regression ? [r[0]] : [r[0], r[1]])),
      y: rows.map((r) => (regression ? r[1] : r[2])),
    },
  };
}

/** A number as CSV writes it (no "0x", "Infinity" or "1_000"). */
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** What reads as a number that is not finite: NaN or infinity. */
const NOT_FINITE = /^[-+]?(nan|inf|infinity)$/i;

/**
 * `own` with the points of `more` after its own (same task only).
 * @param {OwnData} own
 * @param {OwnData} more
 * @returns {OwnData}
 */
export function appendData(own, more) {
  return { task: own.task, points: [...own.points, ...more.points], y: [...own.y, ...more.y] };
}

/**
 * The data as CSV text (the import's format), for a file or the clipboard.
 * @param {OwnData} own
 */
export function toCsv(own) {
  const head = own.task === "regression" ? "x,y" : "x1,x2,label";
  return [head, ...own.points.map((p, k) => [...p, own.y[k]].join(","))].join("\n") + "\n";
}
