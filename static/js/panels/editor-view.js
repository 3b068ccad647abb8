// The dataset and training editors. A change to a hyper-parameter the API can PATCH (learning
// rate, momentum, optimizer, batch size, L2) keeps training going; any other change builds a
// new network.

import { clear, htmlEl } from "../ui/dom.js";
import { addField, readForm } from "../ui/form-fields.js";
import { fmt, layerMark } from "../draw/format.js";
import { t } from "../i18n/i18n.js";
import { fitWhole, taskOf } from "../model/config.js";

// The steps the menus offer (what the API accepts of them: the catalog's bounds decide).
const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const MOMENTA = [0, 0.5, 0.9, 0.95, 0.99];
const L2S = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];
const NOISE_STEP = 0.05;
const FRACTION_STEP = 0.05;

/** Fields whose change is a PATCH (no reset), mapped to the PATCH body key. */
const PATCHABLE = ["learning_rate", "momentum", "optimizer", "batch_size", "l2"];

export class EditorView {
  /**
   * @param {HTMLFormElement} dataForm
   * @param {HTMLFormElement} trainForm
   * @param {() => boolean[] | null} [skipLayers] the API's skip_layers of the network shown:
   *   where residual adds a skip connection, on or off
   */
  constructor(dataForm, trainForm, skipLayers = () => null) {
    this.dataForm = dataForm;
    this.trainForm = trainForm;
    this.skipLayers = skipLayers;
    this.onRebuild = (_c, _notes) => {};
    this.onPatch = (_p, _c, _notes) => {};
    this.onNotes = (_notes) => {};
    this.config = null;
    /** @type {import("../model/catalog.js").Catalog} */
    this.catalog = null;
    for (const form of [dataForm, trainForm]) {
      form.addEventListener("submit", (ev) => ev.preventDefault());
      form.addEventListener("change", (ev) => this.changed(/** @type {HTMLInputElement} */ (ev.target)));
    }
  }

  /**
   * @param {(config: any, notes: import("../model/config.js").Note[]) => void} fn a change that
   *   needs a new network, and what was fitted to make it (to say once it is there)
   */
  bindRebuild(fn) { this.onRebuild = fn; }

  /**
   * @param {(patch: object, config: any, notes: import("../model/config.js").Note[]) => void} fn
   *   a change the API applies in place
   */
  bindPatch(fn) { this.onPatch = fn; }

  /** @param {(notes: import("../model/config.js").Note[]) => void} fn what to say of a change that changes nothing */
  bindNotes(fn) { this.onNotes = fn; }

  /**
   * The whole-number fields on screen: each one's range (the catalog's), label and the value
   * the network has.
   * @private
   * @returns {Record<string, {bound: import("../model/catalog.js").Bound, label: string, current: number}>}
   */
  wholeFields() {
    const c = this.config;
    const cat = this.catalog;
    const info = cat.dataset(c.dataset);
    const seed = cat.bound("seed");
    return {
      classes: { bound: { min: info.minClasses, max: info.maxClasses }, label: "editor.classes", current: c.dataset.classes },
      n: { bound: { min: info.n[0], max: info.n[1] }, label: "editor.samples", current: c.dataset.n },
      data_seed: { bound: seed, label: "editor.data_seed", current: c.dataset.seed },
      batch_size: { bound: cat.bound("batch_size"), label: "editor.batch_size", current: c.batch_size },
      seed: { bound: seed, label: "editor.seed", current: c.seed },
    };
  }

  /**
   * @param {any} config
   * @param {import("../model/catalog.js").Catalog} catalog
   */
  render(config, catalog) {
    this.config = config;
    this.catalog = catalog;
    this.renderData();
    this.renderTrain();
  }

  /** @private */
  renderData() {
    const form = this.dataForm;
    const ds = this.config.dataset;
    const cat = this.catalog;
    const info = cat.dataset(ds);
    clear(form);
    htmlEl("h2", { class: "panel-title", text: t("editor.data") }, form);
    const grid = htmlEl("div", { class: "field-grid" }, form);
    addField(grid, {
      name: "kind", label: t("editor.dataset"), kind: "select", value: ds.kind,
      options: withKind(cat.kinds(), ds.kind).map((k) => [k, t(`dataset.${k}`)]),
    });
    const points = ds.kind === "points";
    if (info.task === "classification" && !points) {
      addField(grid, {
        name: "classes", label: t("editor.classes"), kind: "number", value: ds.classes ?? info.minClasses,
        min: info.minClasses, max: info.maxClasses, step: 1, disabled: info.minClasses === info.maxClasses,
      });
    }
    if (!points) {
      addField(grid, {
        name: "noise", label: t("editor.noise"), kind: "range", value: ds.noise,
        min: info.noise[0], max: info.noise[1], step: NOISE_STEP, format: (v) => v.toFixed(2),
      });
    }
    addField(grid, {
      name: "test_fraction", label: t("editor.test_fraction"), kind: "range", value: ds.test_fraction,
      min: info.testFraction[0], max: info.testFraction[1], step: FRACTION_STEP, format: (v) => `${Math.round(v * 100)}%`,
    });
    if (!points) addField(grid, { name: "n", label: t("editor.samples"), kind: "number", value: ds.n, min: info.n[0], max: info.n[1], step: 1 });
    const seed = cat.bound("seed");
    addField(grid, { name: "data_seed", label: t("editor.data_seed"), kind: "number", value: ds.seed, min: seed.min, max: seed.max, step: 1 });
    if (points) return; // explicit points: their columns are the inputs
    addField(form, {
      name: "features", label: t("editor.features"), kind: "checks", value: ds.features,
      options: cat.features(info.inputDim).map((f) => [f, f]),
    });
  }

  /** @private */
  renderTrain() {
    const form = this.trainForm;
    const c = this.config;
    const cat = this.catalog;
    const losses = cat.losses(taskOf(c, cat));
    clear(form);
    htmlEl("h2", { class: "panel-title", text: t("editor.training") }, form);
    const grid = htmlEl("div", { class: "field-grid" }, form);
    addField(grid, {
      name: "loss", label: t("editor.loss"), kind: "select", value: c.loss, disabled: losses.length < 2,
      options: losses.map((l) => [l, t(`loss.${l}`)]),
    });
    addField(grid, {
      name: "optimizer", label: t("editor.optimizer"), kind: "select", value: c.optimizer.name,
      options: cat.optimizers.map((o) => [o, t(`optimizer.${o}`)]),
    });
    const rates = learningRates(cat, c.optimizer.learning_rate);
    addField(grid, {
      name: "learning_rate", label: t("editor.learning_rate"), kind: "select", value: c.optimizer.learning_rate,
      options: rates.map((r) => [r, fmt(r)]),
    });
    if ("momentum" in cat.optimizerDefaults(c.optimizer.name)) {
      const momentum = c.optimizer.momentum ?? cat.optimizerDefaults(c.optimizer.name).momentum;
      addField(grid, {
        name: "momentum", label: t("editor.momentum"), kind: "select", value: momentum,
        options: this.offered("momentum", MOMENTA, momentum).map((m) => [m, String(m)]),
      });
    }
    const batch = cat.bound("batch_size");
    addField(grid, { name: "batch_size", label: t("editor.batch_size"), kind: "number", value: c.batch_size, min: batch.min, max: batch.max, step: 1 });
    addField(grid, {
      name: "l2", label: t("editor.l2"), kind: "select", value: c.l2,
      options: this.offered("l2", L2S, c.l2).map((v) => [v, fmt(v)]),
    });
    addField(grid, { name: "init", label: t("editor.init"), kind: "select", value: c.init, options: cat.inits.map((i) => [i, t(`init.${i}`)]) });
    const seed = cat.bound("seed");
    addField(grid, { name: "seed", label: t("editor.seed"), kind: "number", value: c.seed, min: seed.min, max: seed.max, step: 1 });
    addField(form, {
      name: "residual", label: t("editor.residual"), kind: "checks", value: c.residual ? ["on"] : [],
      options: [["on", t("editor.residual_on")]],
    });
    htmlEl("p", { class: "hint residual-note", "data-testid": "residual-note", text: residualNote(c, this.skipLayers()) }, form);
  }

  /**
   * A menu's steps the API accepts, with the value on screen among them.
   * @private
   * @param {string} name the catalog's bound
   * @param {number[]} steps
   * @param {number} value
   */
  offered(name, steps, value) {
    return offeredSteps(this.catalog, name, steps, value);
  }

  /** @private */
  changed(input) {
    if (!input.name) return;
    // No silent refusal and no request the API would refuse: a whole number is fitted to the
    // catalog's range (rounded, brought within it) and the field says so; when that leaves the
    // network as it is, nothing is sent.
    const whole = this.wholeFields()[input.name];
    /** @type {import("../model/config.js").Note[]} */
    const notes = [];
    if (whole) {
      const fit = fitWhole(input.value, whole.bound, whole.label, whole.current);
      input.value = String(fit.value);
      if (fit.note) notes.push(fit.note);
      if (fit.value === whole.current) {
        this.onNotes(notes);
        return;
      }
    }
    const c = structuredClone(this.config);
    const d = readForm(this.dataForm);
    const tr = readForm(this.trainForm);
    // A new kind starts from the default generator settings (no points, no old features).
    const base = input.name === "kind" ? { ...this.catalog.defaults.dataset, features: [] } : c.dataset;
    const num = (v, fallback) => (v === undefined || v === "" ? fallback : Number(v));
    const common = { kind: d.kind, test_fraction: num(d.test_fraction, base.test_fraction), seed: num(d.data_seed, base.seed) };
    c.dataset = d.kind === "points"
      ? { ...base, ...common }
      : { ...base, ...common, noise: num(d.noise, base.noise), n: num(d.n, base.n), features: d.features || base.features };
    if (input.name !== "kind" && d.classes !== undefined && Number(d.classes) > 0) c.dataset.classes = Number(d.classes);
    c.loss = tr.loss;
    const lr = Number(tr.learning_rate);
    // Another optimizer starts from its defaults; the learning rate on screen stays.
    const same = tr.optimizer === c.optimizer.name;
    c.optimizer = { ...(same ? c.optimizer : this.catalog.optimizerDefaults(tr.optimizer)), name: tr.optimizer, learning_rate: lr };
    if (tr.momentum !== undefined && "momentum" in c.optimizer) c.optimizer.momentum = Number(tr.momentum);
    c.batch_size = Number(tr.batch_size);
    c.l2 = Number(tr.l2);
    c.init = tr.init;
    c.seed = Number(tr.seed);
    c.residual = (tr.residual || []).includes("on");
    if (PATCHABLE.includes(input.name)) {
      const patch = { learning_rate: lr };
      if (input.name === "optimizer") patch.optimizer = tr.optimizer;
      if (input.name === "momentum") patch.momentum = c.optimizer.momentum;
      if (input.name === "batch_size") patch.batch_size = c.batch_size;
      if (input.name === "l2") patch.l2 = c.l2;
      this.onPatch(patch, c, notes);
    } else {
      this.onRebuild(c, notes);
    }
  }
}

/**
 * Which layers a skip connection applies to (or would), in words.
 * @param {any} c
 * @param {boolean[] | null} skips the API's skip_layers for this configuration's network
 */
function residualNote(c, skips) {
  const eligible = (skips || []).flatMap((on, l) => (on ? [l] : []));
  if (eligible.length === 0) return t("editor.residual_none");
  const layers = eligible.map((l) => `W${layerMark(l + 1)} (${c.layers[l]} → ${c.layers[l + 1]})`).join(", ");
  return t(c.residual ? "editor.residual_layers" : "editor.residual_would", { layers });
}

function withKind(kinds, kind) {
  return kinds.includes(kind) ? kinds : [...kinds, kind];
}

/**
 * A menu's steps the API accepts (the catalog's bound), with the value on screen among them.
 * @param {import("../model/catalog.js").Catalog} catalog
 * @param {string} name the catalog's bound
 * @param {number[]} steps
 * @param {number} value
 * @returns {number[]}
 */
function offeredSteps(catalog, name, steps, value) {
  return withValue(steps.filter((v) => catalog.within(name, v)), value);
}

/**
 * The learning rates a menu offers (compare mode's too).
 * @param {import("../model/catalog.js").Catalog} catalog
 * @param {number} value the rate on screen
 * @returns {number[]}
 */
export function learningRates(catalog, value) {
  return offeredSteps(catalog, "learning_rate", LEARNING_RATES, value);
}

function withValue(list, v) {
  return list.includes(v) ? list : [...list, v].sort((a, b) => a - b);
}
