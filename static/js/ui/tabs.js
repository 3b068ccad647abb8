// Accessible tabs (WAI-ARIA tabs pattern): one tab stop for the list, arrow keys, Home and End
// move between tabs, and each tab shows its panel.

export class Tabs {
  /**
   * @param {HTMLElement} list the [role=tablist] element holding [role=tab] buttons, each with
   *   aria-controls naming its [role=tabpanel]
   */
  constructor(list) {
    this.list = list;
    /** @type {HTMLButtonElement[]} */
    this.tabs = [...list.querySelectorAll("[role=tab]")];
    this.onChange = (_name) => {};
    for (const tab of this.tabs) tab.addEventListener("click", () => this.select(tab.dataset.tab, false));
    list.addEventListener("keydown", (ev) => this.onKey(ev));
    const first = this.tabs.find((tab) => tab.getAttribute("aria-selected") === "true") || this.tabs[0];
    this.current = "";
    this.select(first.dataset.tab, false);
  }

  /** @param {(name: string) => void} fn called with the tab shown after every change */
  bindChange(fn) {
    this.onChange = fn;
  }

  /**
   * Shows the tab named `name` (its data-tab) and hides the others.
   * @param {string} name
   * @param {boolean} [focus] move the keyboard focus to the tab
   */
  select(name, focus = false) {
    const tab = this.tabs.find((x) => x.dataset.tab === name);
    if (!tab) return;
    for (const x of this.tabs) {
      const on = x === tab;
      x.setAttribute("aria-selected", String(on));
      x.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(x.getAttribute("aria-controls"));
      if (panel) panel.hidden = !on;
    }
    if (focus) tab.focus();
    if (this.current !== name) {
      this.current = name;
      this.onChange(name);
    }
  }

  /** @private */
  onKey(ev) {
    const at = this.tabs.indexOf(/** @type {any} */ (ev.target));
    if (at < 0) return;
    const n = this.tabs.length;
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1 + n, Home: 0, End: n - 1 }[ev.key];
    if (to === undefined) return;
    ev.preventDefault(); // the page's own ArrowRight (next phase) must not fire as well
    this.select(this.tabs[to % n].dataset.tab, true);
  }
}
