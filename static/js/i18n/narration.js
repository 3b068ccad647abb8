// What the polite live region says at each phase, in a sentence a screen reader can read
// ("Backward: layer 2, largest gradient W⁽²⁾[3, 1] = −0.042"). Pure.

import { fmt, fmtPercent, layerMark } from "../draw/format.js";
import { t } from "./i18n.js";

/**
 * The largest |value| of a matrix and where it is.
 * @param {number[][]} M
 * @returns {{i: number, j: number, v: number}}
 */
export function largest(M) {
  let best = { i: 0, j: 0, v: 0 };
  M.forEach((row, i) => row.forEach((v, j) => {
    if (Math.abs(v) > Math.abs(best.v)) best = { i, j, v };
  }));
  return best;
}

/**
 * The sentence for a phase of the step on screen.
 * @param {string} phase phase key ("forward-0", "loss", "backward-2", "update", "idle")
 * @param {{trace: any | null, config: any, step: number, metrics: any}} ctx
 * @returns {string}
 */
export function narrate(phase, { trace, config, step, metrics }) {
  const [kind, layerText] = phase.split("-");
  const l = Number(layerText);
  if (!trace || kind === "idle") return "";
  if (kind === "forward") {
    const key = trace.layers[l].skip ? "narrate.forward_skip" : "narrate.forward";
    return t(key, { k: l + 1, n: trace.layers[l].h[0].length, act: config.activations[l] });
  }
  if (kind === "loss") return t("narrate.loss", { loss: fmt(trace.loss_before), n: trace.batch.length });
  if (kind === "backward") {
    const g = largest(trace.layers[l].dW);
    return t("narrate.backward", { k: l + 1, w: `W${layerMark(l + 1)}[${g.i + 1}, ${g.j + 1}]`, v: fmt(g.v, 3) });
  }
  const acc = metrics.train_accuracy === null ? "" : t("narrate.accuracy", { acc: fmtPercent(metrics.train_accuracy) });
  return t("narrate.update", { step, loss: fmt(metrics.train_loss), acc });
}
