// The controls above each column of the network: the layer's name, its neuron count (− / +
// for hidden layers) and its activation; and the hidden-layer count beside the title.

import { clear, htmlEl } from "../ui/dom.js";
import { t } from "../i18n/i18n.js";
import { changeLayerCount, changeNeurons, taskOf } from "../model/config.js";

const CELL_WIDTH = 78; // px a cell needs: − 16 + and the widest activation menu

export class LayerControls {
  /**
   * @param {HTMLElement} row the strip above the drawing
   * @param {HTMLElement} count the hidden-layer counter beside the title
   */
  constructor(row, count) {
    this.row = row;
    this.count = count;
    this.onChange = (_c) => {};
  }

  /** @param {(config: any) => void} fn called with the edited configuration */
  bindChange(fn) {
    this.onChange = fn;
  }

  /**
   * @param {any} config
   * @param {import("./layout.js").NetworkLayout} layout
   * @param {import("../model/catalog.js").Catalog} catalog what the API accepts
   */
  render(config, layout, catalog) {
    const sizes = config.layers;
    const hidden = sizes.length - 2;
    clear(this.count);
    htmlEl("span", { class: "count-label", text: t("layers.hidden") }, this.count);
    this.button(this.count, "−", "layers.remove", "remove-layer", hidden > 0, () => changeLayerCount(config, -1, catalog));
    htmlEl("span", { class: "count-value", "data-testid": "hidden-count", text: String(hidden) }, this.count);
    const more = hidden < catalog.maxWeightLayers - 1;
    this.button(this.count, "+", "layers.add", "add-layer", more, () => changeLayerCount(config, 1, catalog));

    clear(this.row);
    // Columns closer than a cell's width: every other cell goes one row down, so the cells
    // of one row are two columns apart (and the end cells shrink to stay inside the drawing).
    const staggered = layout.colSpacing - 8 < CELL_WIDTH;
    this.row.classList.toggle("staggered", staggered);
    const width = Math.min(150, (staggered ? 2 : 1) * layout.colSpacing - 8);
    const spans = cellSpans(layout, width, staggered);
    for (const col of layout.columns) {
      const k = col.layer;
      const cell = htmlEl("div", { class: "layer-cell", "data-layer": k }, this.row);
      cell.style.left = `${spans[k][0]}px`;
      cell.style.width = `${spans[k][1] - spans[k][0]}px`;
      if (staggered && k % 2 === 1) cell.classList.add("lower");
      const name = k === 0 ? t("layers.input") : k === sizes.length - 1 ? t("layers.output") : t("layers.hidden_n", { k });
      htmlEl("div", { class: "layer-name", text: name }, cell);
      const counter = htmlEl("div", { class: "layer-size" }, cell);
      const isHidden = k > 0 && k < sizes.length - 1;
      if (isHidden) this.button(counter, "−", "layers.fewer", `fewer-${k}`, sizes[k] > 1, () => changeNeurons(config, k, -1, catalog));
      htmlEl("span", { class: "size-value", "data-testid": `layer-size-${k}`, text: String(sizes[k]) }, counter);
      const wider = sizes[k] < catalog.maxWidth;
      if (isHidden) this.button(counter, "+", "layers.more", `more-${k}`, wider, () => changeNeurons(config, k, 1, catalog));
      if (k > 0) this.activationSelect(cell, config, k - 1, k === sizes.length - 1, catalog);
    }
  }

  /**
   * The layer's activation menu: the hidden activations, or the output activations the API
   * takes with the loss on this task.
   * @private
   */
  activationSelect(parent, config, l, isOutput, catalog) {
    const options = isOutput ? catalog.outputs(taskOf(config, catalog), config.loss) : catalog.hidden;
    if (!options.includes(config.activations[l])) options.push(config.activations[l]);
    const select = htmlEl("select", {
      class: "act-select", "data-testid": `activation-${l}`, disabled: options.length < 2,
      "aria-label": t("layers.activation"),
    }, parent);
    for (const a of options) {
      const opt = htmlEl("option", { value: a, text: a }, select);
      if (a === config.activations[l]) opt.selected = true;
    }
    // The activation's σ and σ′ with the batch's z (panels/activation-curve-view.js draws it).
    htmlEl("div", { class: "act-curve", "data-layer": l, "data-testid": `act-curve-${l}` }, parent);
    select.addEventListener("change", () => {
      const c = structuredClone(config);
      c.activations[l] = select.value;
      this.onChange(c);
    });
  }

  /** @private */
  button(parent, text, labelKey, testid, enabled, make) {
    const b = htmlEl("button", {
      type: "button", class: "btn-tiny", text, "data-testid": testid, disabled: !enabled,
      "aria-label": t(labelKey), title: t(labelKey),
    }, parent);
    b.addEventListener("click", () => this.onChange(make()));
  }
}

const CELL_GAP = 6; // px between two cells of one row

/**
 * Each column's cell as [left, right] in the drawing: centred on its column, as wide as the
 * columns allow; the end cells lean against the drawing's edges, inwards up to the next cell
 * of their row, so the input's and output's menus are not cut to the margin's width.
 * @param {import("./layout.js").NetworkLayout} layout
 * @param {number} width a cell's width
 * @param {boolean} staggered every other cell one row down
 * @returns {number[][]} by layer
 */
function cellSpans(layout, width, staggered) {
  const spans = layout.columns.map((col) => {
    const w = Math.min(width, 2 * col.x, 2 * (layout.width - col.x));
    return [col.x - w / 2, col.x + w / 2];
  });
  const last = spans.length - 1;
  const step = staggered ? 2 : 1; // the next cell of the same row
  if (last < 1) return spans;
  const right = step <= last ? spans[step][0] - CELL_GAP : layout.width;
  spans[0] = [0, Math.max(spans[0][1], Math.min(width, right))];
  const left = last - step >= 0 ? spans[last - step][1] + CELL_GAP : 0;
  spans[last] = [Math.min(spans[last][0], Math.max(layout.width - width, left)), layout.width];
  return spans;
}
