// The dialog that edits one weight or bias by hand (the page then PATCHes it with `set`).

export class ParamDialog {
  /** @param {HTMLDialogElement} dialog */
  constructor(dialog) {
    this.dialog = dialog;
    this.input = /** @type {HTMLInputElement} */ (dialog.querySelector("#param-value"));
    this.title = dialog.querySelector("#param-title");
    this.meta = dialog.querySelector("#param-meta");
  }

  /**
   * Opens the dialog; resolves with the new value, or null when cancelled.
   * @param {string} title
   * @param {string} meta
   * @param {number} value
   * @param {{min: number, max: number}} range what the API accepts (the catalog's bound)
   * @returns {Promise<number | null>}
   */
  open(title, meta, value, range) {
    this.title.textContent = title;
    this.meta.textContent = meta;
    this.input.min = String(range.min);
    this.input.max = String(range.max);
    this.input.value = String(value);
    this.dialog.returnValue = "";
    return new Promise((resolve) => {
      this.dialog.addEventListener("close", () => {
        const v = Number(this.input.value);
        resolve(this.dialog.returnValue === "save" && this.input.value !== "" && Number.isFinite(v) ? v : null);
      }, { once: true });
      this.dialog.showModal();
      this.input.select();
    });
  }
}
