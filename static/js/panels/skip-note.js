// Under a residual network's drawing: which layers the grey skip arcs go over, and the scale of
// the red gradient along them (its widest arrow's |Σ_s ∂L/∂H|).

import { fmt, layerMark } from "../draw/format.js";
import { t } from "../i18n/i18n.js";

export class SkipNote {
  /** @param {HTMLElement} el the note's paragraph (hidden without skip connections) */
  constructor(el) {
    this.el = el;
    this.text = "";
  }

  /**
   * @param {boolean[]} skips per weight layer (the API's)
   * @param {{skipMax?: number} | null} scales the network drawing's
   */
  render(skips, scales) {
    const layers = skips.flatMap((s, l) => (s ? [`W${layerMark(l + 1)}`] : []));
    const max = scales && scales.skipMax ? scales.skipMax : 0;
    const text = layers.length === 0 ? "" : t(max > 0 ? "network.skips_scale" : "network.skips", {
      layers: layers.join(", "), max: fmt(max, 3),
    });
    this.el.hidden = text === "";
    if (text === this.text) return;
    this.text = text;
    this.el.textContent = text;
    this.el.dataset.max = String(max);
  }
}
