// What a hovered weight, neuron or block shows: its live numbers as (label, value) rows. Pure.

import { fmtFull, layerMark } from "../draw/format.js";
import { t } from "../i18n/i18n.js";
import { cell, nodeNumbers } from "../network/network-paint.js";
import { backwardRank } from "../model/phases.js";
import { skipCard } from "./skip-card.js";

/**
 * @typedef {{title: string, rows: Array<[string, string]>, note: string}} Card
 */

/**
 * @param {import("../model/shown-step.js").Display} d
 * @param {number} l weight layer
 * @param {number} i input neuron (-1: the whole aggregated side)
 * @param {number} j output neuron (-1: the whole aggregated side)
 * @returns {Card}
 */
export function edgeCard(d, l, i, j) {
  const L = d.weights.length;
  const sup = layerMark(l + 1);
  const idx = (v) => (v < 0 ? "·" : String(v + 1));
  const title = t("tip.weight", { layer: sup, i: idx(i), j: idx(j) });
  const aggregated = i < 0 || j < 0;
  const rows = [];
  const w = cell(d.weights[l], i, j);
  rows.push([aggregated ? t("tip.mean_w") : "w", fmtFull(w.mean)]);
  const tr = d.trace;
  if (tr && d.backward > backwardRank(L, l)) {
    rows.push([aggregated ? t("tip.mean_dw") : "∂L/∂w", fmtFull(cell(tr.layers[l].dW, i, j).mean)]);
  }
  if (tr && d.updated) {
    const up = cell(tr.layers[l].update.dW, i, j).mean;
    rows.push([t("tip.update"), fmtFull(up)]);
    if (!aggregated) rows.push([t("tip.before"), fmtFull(w.mean - up)]);
  }
  const note = aggregated ? t("tip.aggregated") : t("tip.api_weight", { l, i, j });
  return { title, rows, note: aggregated ? note : `${note} · ${t("tip.click_edit")}` };
}

/**
 * @param {import("../model/shown-step.js").Display} d
 * @param {{biases: number[][], activations: string[], features: string[]}} net
 * @param {number} k column (0 = input)
 * @param {number} j neuron
 * @returns {Card}
 */
export function nodeCard(d, net, k, j) {
  const L = d.weights.length;
  const n = nodeNumbers(d, k, j, L);
  if (k === 0) {
    const rows = [[net.features[j] ?? `x${j + 1}`, fmtFull(n.h)]];
    return { title: t("tip.input", { j: j + 1 }), rows, note: t("tip.sample_row", { row: d.row + 1 }) };
  }
  const act = net.activations[k - 1];
  const sup = layerMark(k);
  const title = k === L ? t("tip.output", { j: j + 1, act }) : t("tip.neuron", { j: j + 1, layer: k, act });
  const rows = [
    [`z${sup}`, fmtFull(n.z)],
    [d.trace && d.trace.layers[k - 1].skip ? `h${sup} = h${layerMark(k - 1)} + ${act}(z)` : `h${sup} = ${act}(z)`, fmtFull(n.h)],
    [`δ${sup} = ∂L/∂z`, fmtFull(n.dz)],
    [`b${sup}`, fmtFull(net.biases[k - 1][j])],
  ];
  return { title, rows, note: `${t("tip.sample_row", { row: d.row + 1 })} · ${t("tip.click_bias")}` };
}

/**
 * The card for whatever the pointer is over in the network drawing.
 * @param {import("../network/network-view.js").Target} target
 * @param {import("../model/shown-step.js").Display} d
 * @param {{biases: number[][], activations: string[], features: string[], sizes: number[]}} net
 * @returns {Card}
 */
export function hoverCard(target, d, net) {
  if (target.kind === "edge") return edgeCard(d, target.layer, target.i, target.j);
  if (target.kind === "node") return nodeCard(d, net, target.layer, target.j);
  if (target.kind === "skip") return skipCard(d, target.layer, target.j);
  return { title: t("tip.block", { n: net.sizes[target.layer] }), rows: [], note: t("tip.aggregated") };
}
