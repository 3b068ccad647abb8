// What a hovered skip arc shows: the neuron's h = h(l−1) + σ(z) for the selected sample, and
// the gradient the arc carries straight back (the sample's, and the batch's sum).

import { fmtFull, layerMark } from "../draw/format.js";
import { t } from "../i18n/i18n.js";
import { backwardRank } from "../model/phases.js";
import { nodeNumbers } from "../network/network-paint.js";
import { skipGradient } from "../network/skip-arcs.js";

/**
 * @param {import("../model/shown-step.js").Display} d
 * @param {number} l the skip layer (weight layer)
 * @param {number} r the neuron (-1: a block)
 * @returns {import("./hover-card.js").Card}
 */
export function skipCard(d, l, r) {
  const L = d.weights.length;
  const title = t("tip.skip", { layer: layerMark(l + 1), r: r < 0 ? "·" : r + 1 });
  const rows = [];
  const tr = d.trace;
  if (r >= 0) {
    const before = nodeNumbers(d, l, r, L);
    const after = nodeNumbers(d, l + 1, r, L);
    if (before.h !== null && after.h !== null) {
      rows.push([`h${layerMark(l)}`, fmtFull(before.h)]);
      rows.push([`σ(z${layerMark(l + 1)})`, fmtFull(after.h - before.h)]);
      rows.push([`h${layerMark(l + 1)} = h${layerMark(l)} + σ(z)`, fmtFull(after.h)]);
    }
  }
  if (tr && tr.layers[l].skip_dh && d.backward > backwardRank(L, l)) {
    if (r >= 0) rows.push([`∂L/∂h${layerMark(l + 1)}`, fmtFull(tr.layers[l].skip_dh[d.row][r])]);
    rows.push([t("tip.skip_sum"), fmtFull(skipGradient(tr.layers[l], r).value)]);
  }
  return { title, rows, note: `${t("tip.sample_row", { row: d.row + 1 })} · ${t("tip.skip_note")}` };
}
