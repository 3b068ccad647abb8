// The lecture note's numpy `softmax` (its five lines, as the note writes them), each line
// followed by what it computes for the selected sample: the numbers substituted line by line.

import { htmlEl } from "../ui/dom.js";
import { richText } from "../ui/rich-text.js";
import { fmt } from "../draw/format.js";
import { t } from "../i18n/i18n.js";

/** The note's code, verbatim (its names: `denumerator` holds the exps, `numerator` their sum). */
export const NOTE_SOFTMAX = [
  "def softmax(vec):",
  "    denumerator = np.exp(vec - np.max(vec, axis=-1, keepdims=True))",
  "    numerator = np.sum(denumerator, axis=-1,   keepdims=True)",
  "    val = denumerator / numerator",
  "    return val",
];

/** @param {number[]} v @returns {string} a numpy-like vector */
const vec = (v) => `[${v.map((x) => fmt(x, 3)).join(", ")}]`;

/**
 * Appends the listing for one sample's logits.
 * @param {HTMLElement} parent
 * @param {number[]} o the logits
 * @param {{max: number, shifted: number[], exps: number[], sum: number, probs: number[]}} s
 *   their softmax, step by step (model/softmax-math.js)
 */
export function renderSoftmaxCode(parent, o, s) {
  const box = htmlEl("figure", { class: "code-listing", "data-testid": "softmax-code" }, parent);
  htmlEl("figcaption", { class: "code-title", text: t("softmax.code_title") }, box);
  // Long vectors scroll sideways: the box takes the keyboard focus so arrows can scroll it.
  const pre = htmlEl("pre", { class: "code", tabindex: 0, "aria-label": t("softmax.code_aria") }, box);
  const values = [
    { text: `vec = ${vec(o)}`, testid: "code-vec", data: o },
    {
      text: `= np.exp(${vec(o)} − ${fmt(s.max, 3)}) = np.exp(${vec(s.shifted)}) = ${vec(s.exps)}`,
      testid: "code-exps", data: s.exps,
    },
    { text: `= ${s.exps.map((e) => fmt(e, 3)).join(" + ")} = ${fmt(s.sum, 4)}`, testid: "code-sum", data: [s.sum] },
    { text: `= ${vec(s.exps)} / ${fmt(s.sum, 4)} = ${vec(s.probs)}`, testid: "code-val", data: s.probs },
    { text: `→ ${vec(s.probs)}`, testid: "code-return", data: s.probs },
  ];
  NOTE_SOFTMAX.forEach((line, k) => {
    htmlEl("code", { class: "code-line", text: line }, pre);
    const v = values[k];
    htmlEl("code", {
      class: "code-values", text: v.text, "data-testid": v.testid, "data-values": JSON.stringify(v.data),
    }, pre);
  });
  richText(htmlEl("p", { class: "hint" }, box), t("softmax.code_names"));
}
