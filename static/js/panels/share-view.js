// Sharing: the link that rebuilds this network (the configuration is in the URL hash), and
// export / import of a JSON file with the trained weights and the optimizer's state.

import { t } from "../i18n/i18n.js";
import { trainedLink } from "../ui/reopen.js";

export class ShareView {
  /**
   * @param {{link: HTMLInputElement, copy: HTMLButtonElement, status: HTMLElement,
   *          exportButton: HTMLButtonElement, importButton: HTMLButtonElement,
   *          file: HTMLInputElement, trained: HTMLInputElement, trainedCopy: HTMLButtonElement}} els
   */
  constructor(els) {
    this.els = els;
    this.onExport = () => {};
    this.onImport = (_doc) => {};
    els.copy.addEventListener("click", () => this.copy(els.link));
    els.trainedCopy.addEventListener("click", () => this.copy(els.trained));
    els.exportButton.addEventListener("click", () => this.onExport());
    els.importButton.addEventListener("click", () => els.file.click());
    els.file.addEventListener("change", () => this.read());
  }

  /** @param {() => void} fn */
  bindExport(fn) { this.onExport = fn; }

  /** @param {(doc: any) => void} fn called with the parsed file */
  bindImport(fn) { this.onImport = fn; }

  /**
   * Shows the page's links: its address (the configuration, or the copy link when the
   * configuration is too long for one) and the link to a copy of the trained network.
   * @param {string} id the network on screen
   */
  showLink(id) {
    this.id = id;
    this.els.link.value = window.location.href;
    this.els.trained.value = trainedLink(id);
  }

  /**
   * Offers a document as a file download.
   * @param {object} doc
   * @param {string} name file name
   */
  download(doc, name) {
    const blob = new Blob([JSON.stringify(doc, null, 1)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.say(t("share.exported", { name }));
  }

  /** @param {string} text a short status beside the buttons (read out politely) */
  say(text) {
    this.els.status.textContent = text;
  }

  /**
   * @private
   * @param {HTMLInputElement} input the link to copy
   */
  async copy(input) {
    if (this.id) this.showLink(this.id);
    try {
      await navigator.clipboard.writeText(input.value);
      this.say(t("share.copied"));
    } catch {
      input.select(); // no clipboard access: the link is selected for Ctrl+C
      this.say(t("share.select"));
    }
  }

  /** @private */
  async read() {
    const file = this.els.file.files && this.els.file.files[0];
    this.els.file.value = "";
    if (!file) return;
    let doc;
    try {
      doc = JSON.parse(await file.text());
    } catch {
      this.say(t("share.not_json", { name: file.name }));
      return;
    }
    this.say("");
    this.onImport(doc);
  }
}
