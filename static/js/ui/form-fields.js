// Labelled form controls for the editors: select, number, range and checkbox group.

import { htmlEl } from "./dom.js";

/**
 * @typedef {object} FieldSpec
 * @property {string} name form name (also data-testid "field-{name}")
 * @property {string} label
 * @property {"select" | "number" | "range" | "checks"} kind
 * @property {Array<[string | number, string]>} [options] value and label (select, checks)
 * @property {any} value current value (an array for checks)
 * @property {number} [min]
 * @property {number} [max]
 * @property {number | string} [step]
 * @property {(v: number) => string} [format] shown beside a range
 * @property {boolean} [disabled]
 * @property {string} [title]
 */

/**
 * Appends a labelled control to `parent`.
 * @param {HTMLElement} parent
 * @param {FieldSpec} spec
 * @returns {HTMLElement} the field's wrapper
 */
export function addField(parent, spec) {
  const wrap = htmlEl(spec.kind === "checks" ? "fieldset" : "label", { class: `field field-${spec.kind}` }, parent);
  if (spec.title) wrap.title = spec.title;
  htmlEl(spec.kind === "checks" ? "legend" : "span", { class: "field-label", text: spec.label }, wrap);
  const testid = `field-${spec.name}`;
  if (spec.kind === "select") {
    const select = htmlEl("select", { name: spec.name, "data-testid": testid, disabled: !!spec.disabled }, wrap);
    for (const [value, label] of spec.options) {
      const opt = htmlEl("option", { value: String(value), text: label }, select);
      if (String(value) === String(spec.value)) opt.selected = true;
    }
  } else if (spec.kind === "checks") {
    const box = htmlEl("div", { class: "checks" }, wrap);
    for (const [value, label] of spec.options) {
      const item = htmlEl("label", { class: "check" }, box);
      htmlEl("input", {
        type: "checkbox", name: spec.name, value: String(value), "data-testid": `${testid}-${value}`,
        checked: spec.value.includes(value),
      }, item);
      htmlEl("span", { text: label }, item);
    }
  } else {
    const input = /** @type {HTMLInputElement} */ (htmlEl("input", {
      type: spec.kind, name: spec.name, "data-testid": testid,
      min: spec.min ?? false, max: spec.max ?? false, step: spec.step ?? false, disabled: !!spec.disabled,
    }, wrap));
    // The value goes in after min, max and step: a range sanitizes its value to the bounds and
    // step it has at the time (0.1 under the default step of 1 would become 0).
    input.value = String(spec.value);
    if (spec.kind === "range" && spec.format) {
      const out = htmlEl("output", { text: spec.format(Number(input.value)) }, wrap);
      input.addEventListener("input", () => { out.textContent = spec.format(Number(input.value)); });
    }
  }
  return wrap;
}

/**
 * The form's values by name (checkbox groups as arrays of checked values).
 * @param {HTMLFormElement} form
 * @returns {Record<string, any>}
 */
export function readForm(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === "checkbox") {
      out[el.name] = out[el.name] || [];
      if (el.checked) out[el.name].push(el.value);
    } else {
      out[el.name] = el.value;
    }
  }
  return out;
}
