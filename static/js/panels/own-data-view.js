// Your own data on the data plot: a layer over it where a click adds a point (of the chosen
// class; for regression the height is the target), right-click or the eraser (click or drag)
// removes the nearest, the keyboard does the same at a cursor; CSV or pasted text adds
// points; "Train on these points" builds a network on them (see model/own-points.js).

import { classColor, divergingRGB } from "../draw/scales.js";
import { t } from "../i18n/i18n.js";
import { appendData, configFor, ownDataOf, parseCsv } from "../model/own-points.js";
import { byId, clear, htmlEl, svgEl } from "../ui/dom.js";

const ERASE_PX = 12; // a point this close to the pointer is erased
const KEY_STEP = 0.04; // of the plot's width, per arrow key (Shift: a quarter of it)

export class OwnDataView {
  /**
   * @param {import("./data-plot.js").DataPlot} plot
   * @param {() => any} config the configuration on screen
   */
  constructor(plot, config) {
    this.plot = plot;
    this.config = config;
    this.onApply = (_c) => {};
    /** @type {import("../model/catalog.js").Catalog | null} what the API accepts (set with the first network) */
    this.catalog = null;
    this.drawing = false;
    this.erasing = false;
    /** @type {import("../model/own-points.js").OwnData} */
    this.own = { task: /** @type {any} */ (""), points: [], y: [] }; // the catalog's first task, once known
    this.cursor = null;
    this.layer = /** @type {SVGSVGElement} */ (/** @type {unknown} */ (byId("draw-layer")));
    this.els = {
      panel: byId("own-data"), toggle: byId("draw-toggle"), task: /** @type {HTMLSelectElement} */ (byId("draw-task")),
      klass: /** @type {HTMLSelectElement} */ (byId("draw-class")), tools: byId("draw-tools"), erase: byId("draw-erase"),
      clear: byId("draw-clear"), apply: byId("draw-apply"), status: byId("own-status"),
      text: /** @type {HTMLTextAreaElement} */ (byId("own-text")), add: byId("own-import"),
      fileButton: byId("own-file-button"), file: /** @type {HTMLInputElement} */ (byId("own-file")),
    };
    const e = this.els;
    e.toggle.addEventListener("click", () => this.setDrawing(!this.drawing));
    e.erase.addEventListener("click", () => this.setErasing(!this.erasing));
    e.clear.addEventListener("click", () => this.edit({ ...this.own, points: [], y: [] }, t("own.cleared")));
    e.apply.addEventListener("click", () => this.apply());
    e.task.addEventListener("change", () => {
      this.own = { task: /** @type {any} */ (e.task.value), points: [], y: [] };
      this.renderFields();
      this.render();
    });
    e.add.addEventListener("click", () => this.importText(e.text.value));
    e.fileButton.addEventListener("click", () => e.file.click());
    e.file.addEventListener("change", async () => {
      const f = e.file.files && e.file.files[0];
      e.file.value = "";
      if (f) this.importText(await f.text());
    });
    this.bindLayer();
    new ResizeObserver(() => this.drawing && this.render()).observe(this.layer.parentElement);
    plot.bindRebuilt(() => this.drawing && this.render()); // new scales: the points follow
    this.renderFields();
  }

  /** @param {(config: any) => void} fn called with a configuration that trains on the points */
  bindApply(fn) {
    this.onApply = fn;
  }

  /**
   * The network on screen changed: a drawing in progress follows its own data, if it has any.
   * @param {import("../model/catalog.js").Catalog} catalog
   */
  networkChanged(catalog) {
    if (!this.catalog) {
      this.catalog = catalog;
      if (!this.own.points.length) this.own = { ...this.own, task: /** @type {any} */ (catalog.tasks[0]) };
      this.renderFields();
    }
    const own = ownDataOf(this.config());
    if (own && this.drawing) this.own = own;
    if (this.drawing) this.render();
  }

  /** Relabels in the current language. */
  relabel() {
    this.renderFields();
    this.say("");
  }

  /** @param {boolean} on */
  setDrawing(on) {
    this.drawing = on;
    if (on) {
      this.own = ownDataOf(this.config()) || { task: /** @type {any} */ (this.els.task.value), points: [], y: [] };
      this.cursor = null;
    } else {
      this.setErasing(false);
    }
    this.els.toggle.setAttribute("aria-pressed", String(on));
    this.els.tools.hidden = !on;
    this.els.panel.classList.toggle("drawing", on);
    this.layer.parentElement.classList.toggle("drawing", on);
    this.layer.setAttribute("tabindex", on ? "0" : "-1");
    this.renderFields();
    this.render();
    this.say(on ? t("own.drawing") : "");
  }

  /** @private */
  setErasing(on) {
    this.erasing = on;
    this.els.erase.setAttribute("aria-pressed", String(on));
    this.layer.classList.toggle("erasing", on);
  }

  /** @private */
  renderFields() {
    const e = this.els;
    clear(e.task);
    for (const task of this.catalog ? this.catalog.tasks : []) htmlEl("option", { value: task, text: t(`own.${task}`) }, e.task);
    e.task.value = this.own.task;
    e.task.disabled = this.own.points.length > 0; // clear first: the two kinds do not mix
    const regression = this.own.task === "regression";
    e.klass.closest("label").hidden = regression;
    const chosen = e.klass.value || "0";
    clear(e.klass);
    for (let k = 0; k < this.classes(); k += 1) htmlEl("option", { value: String(k), text: t("own.class_n", { k }) }, e.klass);
    e.klass.value = chosen;
    e.text.placeholder = regression ? "x,y\n0.5,1.2" : "x1,x2,label\n0.5,-1.2,1";
  }

  /** @private The classes one can draw: as many as a generator makes at most. */
  classes() {
    return this.catalog ? this.catalog.drawnClasses : 0;
  }

  /** @private */
  say(text) {
    this.els.status.textContent = text;
  }

  /** @private Replaces the drawn points and says what happened. */
  edit(own, message) {
    this.own = own;
    this.renderFields();
    this.render();
    this.say(message);
  }

  /** @private */
  apply() {
    const fewest = this.catalog.pointsRange[0];
    if (this.own.points.length < fewest) {
      this.say(t("own.too_few", { min: fewest, n: this.own.points.length }));
      return;
    }
    this.onApply(configFor(this.config(), this.own, this.catalog));
  }

  /** @private */
  importText(text) {
    if (!this.catalog) return; // no network yet: nothing says what the API accepts
    const read = parseCsv(text, { classes: this.classes(), bound: this.catalog.bound("point") });
    if (!read.ok) {
      const problem = t(read.problem, read.args);
      this.say(read.line ? t("import.at_line", { line: read.line, problem }) : problem);
      return; // nothing drawn is lost
    }
    // What the network trains on is what the import adds to: drawing starts from it.
    const base = this.drawing ? this.own : ownDataOf(this.config()) || this.own;
    if (base.points.length && read.data.task !== base.task) {
      this.say(t("import.other_task", { task: t(`own.${base.task}`) }));
      return;
    }
    const own = base.points.length ? appendData(base, read.data) : read.data;
    const most = this.catalog.pointsRange[1];
    if (own.points.length > most) {
      this.say(t("import.too_many", { max: most, n: read.data.points.length, have: base.points.length }));
      return;
    }
    if (!this.drawing) this.setDrawing(true);
    this.els.text.value = "";
    const n = read.data.points.length;
    this.edit(own, t(n === 1 ? "own.imported_one" : "own.imported", { n, total: own.points.length }));
  }

  // ---------------------------------------------------------------- the layer over the plot

  /** @private The data coordinates under a client position. */
  dataAt(clientX, clientY) {
    const r = this.layer.getBoundingClientRect();
    const scale = this.plot.width / r.width;
    return this.fromPixel((clientX - r.left) * scale, (clientY - r.top) * scale);
  }

  /** @private */
  fromPixel(px, py) {
    const { sx, sy } = this.plot;
    return [(px - sx(0)) / (sx(1) - sx(0)), (py - sy(0)) / (sy(1) - sy(0))];
  }

  /** @private */
  pixelOf(k) {
    const p = this.own.points[k];
    const { sx, sy } = this.plot;
    return [sx(p[0]), sy(this.own.task === "regression" ? this.own.y[k] : p[1])];
  }

  /** @private Adds a point at data coordinates (x, y): y is the target for regression. */
  addAt([x, y]) {
    const round = (v) => Number(v.toFixed(3));
    const regression = this.own.task === "regression";
    const own = {
      task: this.own.task,
      points: [...this.own.points, regression ? [round(x)] : [round(x), round(y)]],
      y: [...this.own.y, regression ? round(y) : Number(this.els.klass.value)],
    };
    this.edit(own, countSaid(own.points.length));
  }

  /** @private Erases the point nearest to a pixel position, when one is close. */
  eraseNear(px, py) {
    let best = -1;
    let bestD = ERASE_PX;
    this.own.points.forEach((_, k) => {
      const [qx, qy] = this.pixelOf(k);
      const d = Math.hypot(qx - px, qy - py);
      if (d <= bestD) [best, bestD] = [k, d];
    });
    if (best < 0) return;
    const keep = (_, k) => k !== best;
    this.edit({ task: this.own.task, points: this.own.points.filter(keep), y: this.own.y.filter(keep) },
      countSaid(this.own.points.length - 1));
  }

  /** @private */
  bindLayer() {
    const layer = this.layer;
    const pixel = (ev) => {
      const r = layer.getBoundingClientRect();
      const scale = this.plot.width / r.width;
      return [(ev.clientX - r.left) * scale, (ev.clientY - r.top) * scale];
    };
    layer.addEventListener("pointerdown", (ev) => {
      if (!this.drawing || ev.button !== 0) return;
      ev.preventDefault();
      if (this.erasing) {
        layer.setPointerCapture(ev.pointerId);
        this.eraseNear(...pixel(ev));
      } else {
        this.addAt(this.dataAt(ev.clientX, ev.clientY));
      }
    });
    layer.addEventListener("pointermove", (ev) => {
      if (this.drawing && this.erasing && ev.buttons & 1) this.eraseNear(...pixel(ev));
    });
    layer.addEventListener("contextmenu", (ev) => {
      if (!this.drawing) return;
      ev.preventDefault();
      this.eraseNear(...pixel(ev));
    });
    layer.addEventListener("keydown", (ev) => this.onKey(ev));
    layer.addEventListener("blur", () => this.render());
  }

  /** @private Arrows move the cursor; Enter or Space adds (erases with the eraser); Delete erases. */
  onKey(ev) {
    if (!this.drawing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const w = this.plot.width;
    const h = Number(this.layer.getAttribute("height")) || w;
    if (!this.cursor) this.cursor = [w / 2, h / 2];
    const d = w * KEY_STEP * (ev.shiftKey ? 0.25 : 1);
    const moves = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, -d], ArrowDown: [0, d] };
    if (moves[ev.key]) {
      const [dx, dy] = moves[ev.key];
      this.cursor = [Math.min(w, Math.max(0, this.cursor[0] + dx)), Math.min(h, Math.max(0, this.cursor[1] + dy))];
      this.render();
    } else if (ev.key === "Enter" || ev.key === " ") {
      if (this.erasing) this.eraseNear(...this.cursor);
      else this.addAt(this.fromPixel(...this.cursor));
    } else if (ev.key === "Delete" || ev.key === "Backspace") {
      this.eraseNear(...this.cursor);
    } else if (/^[0-9]$/.test(ev.key) && Number(ev.key) < this.classes() && this.own.task === "classification") {
      this.els.klass.value = ev.key;
      this.say(t("own.class_n", { k: ev.key }));
    } else {
      return;
    }
    ev.preventDefault();
    ev.stopPropagation();
  }

  /** @private Draws the drawn points (and the keyboard's cursor) over the plot. */
  render() {
    const layer = this.layer;
    const plot = /** @type {SVGSVGElement} */ (/** @type {unknown} */ (byId("data-plot")));
    for (const a of ["viewBox", "width", "height"]) {
      const v = plot.getAttribute(a);
      if (v) layer.setAttribute(a, v);
    }
    clear(layer);
    layer.dataset.count = String(this.own.points.length);
    if (!this.drawing || !this.plot.sx) return;
    const regression = this.own.task === "regression";
    const ys = this.own.y;
    const lo = Math.min(...ys);
    const hi = Math.max(...ys);
    this.own.points.forEach((_, k) => {
      const [cx, cy] = this.pixelOf(k);
      const fill = regression ? `rgb(${divergingRGB(ys[k], lo, hi, 0.4).join(",")})` : classColor(ys[k]);
      svgEl("circle", { class: "point own", cx: cx.toFixed(1), cy: cy.toFixed(1), r: 5, "data-k": k }, layer).style.fill = fill;
    });
    if (this.cursor && document.activeElement === layer) {
      const [x, y] = this.cursor;
      svgEl("path", { class: "draw-cursor", d: `M${x - 8},${y}h16M${x},${y - 8}v16` }, layer);
    }
  }
}

/** @param {number} n @returns {string} how many points are drawn, in words */
function countSaid(n) {
  return t(n === 1 ? "own.count_one" : "own.count", { n });
}
