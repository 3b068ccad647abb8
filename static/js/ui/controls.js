// The transport bar (Reset, Play/Pause, Step, Phase, speed), the status (step count, phase)
// and the keyboard shortcuts, which are listed on the page from the same table.

import { clear, htmlEl } from "./dom.js";
import { t } from "../i18n/i18n.js";

/** Steps per second the speed slider offers. */
export const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500];

/** key → action; the page lists these (with their labels) under "Keyboard". */
export const SHORTCUTS = [
  { keys: [" "], label: "keys.space", action: "play", help: "shortcut.play" },
  { keys: ["s", "S"], label: "S", action: "step", help: "shortcut.step" },
  { keys: ["p", "P", "ArrowRight"], label: "P  →", action: "phase", help: "shortcut.phase" },
  { keys: ["r", "R"], label: "R", action: "reset", help: "shortcut.reset" },
  { keys: ["+", "="], label: "+", action: "faster", help: "shortcut.faster" },
  { keys: ["-", "_"], label: "−", action: "slower", help: "shortcut.slower" },
  { keys: ["[", "]"], label: "[  ]", action: "sample", help: "shortcut.sample" },
  { keys: ["i", "I"], label: "I", action: "inspect", help: "shortcut.inspect" },
  { keys: ["l", "L"], label: "L", action: "language", help: "shortcut.language" },
  // Handled apart (onKey): in a field (where letters are the field's own: a menu jumps to the
  // option typed) Esc leaves it, so the shortcuts work again; elsewhere it is the modes' own.
  { keys: [], label: "keys.esc", action: "release", help: "shortcut.release" },
];

/** Form fields: keys typed there are theirs, not shortcuts (Esc leaves them). */
const FIELDS = "input, select, textarea, [contenteditable]";

export class Controls {
  constructor() {
    /** @type {Record<string, (arg?: any) => void>} */
    this.handlers = {};
    this.speedInput = /** @type {HTMLInputElement} */ (document.getElementById("speed"));
    this.speedOut = document.getElementById("speed-out");
    this.playButton = document.getElementById("btn-play");
    this.phaseBadge = document.querySelector("[data-testid=phase]");
    this.stepCount = document.querySelector("[data-testid=step-count]");
    for (const button of document.querySelectorAll(".transport [data-action]")) {
      button.addEventListener("click", () => this.fire(button.dataset.action));
    }
    this.speedInput.addEventListener("input", () => this.showSpeed());
    /** @type {Element | null} where the focus was before a shortcut moved it into a field */
    this.focusBefore = null;
    document.addEventListener("keydown", (ev) => this.onKey(ev));
    document.addEventListener("keyup", (ev) => this.onKeyUp(ev));
    this.showSpeed();
  }

  /** Relabels what the controls write in the current language. */
  relabel() {
    this.showSpeed();
    if (this.shortcutList) this.renderShortcuts(this.shortcutList);
  }

  /**
   * @param {"step" | "phase" | "play" | "reset" | "speed" | "sample" | "inspect" | "language"} action
   *   speed: called with steps per second; sample: called with +1 or −1
   * @param {(arg?: any) => void} fn
   */
  bind(action, fn) {
    this.handlers[action] = fn;
  }

  /** @returns {number} steps per second */
  get speed() {
    return SPEEDS[Number(this.speedInput.value)];
  }

  /** @param {boolean} playing */
  setPlaying(playing) {
    this.playButton.setAttribute("aria-pressed", String(playing));
    this.playButton.classList.toggle("playing", playing);
    const label = this.playButton.querySelector("[data-role=play-label]");
    label.dataset.i18n = playing ? "controls.pause" : "controls.play";
    label.textContent = t(label.dataset.i18n);
  }

  /**
   * @param {string} key phase key ("idle", "forward-0", …)
   * @param {string} label what the badge says
   */
  setPhase(key, label) {
    this.phaseBadge.dataset.phase = key;
    this.phaseBadge.dataset.kind = key.split("-")[0];
    this.phaseBadge.textContent = label;
  }

  /** @param {number} n */
  setStepCount(n) {
    this.stepCount.textContent = String(n);
  }

  /**
   * Lists the shortcuts in a <dl>.
   * @param {HTMLElement} dl
   */
  renderShortcuts(dl) {
    this.shortcutList = dl;
    clear(dl);
    for (const s of SHORTCUTS) {
      const dt = htmlEl("dt", {}, dl);
      for (const part of (s.label.startsWith("keys.") ? t(s.label) : s.label).split(/\s+/)) {
        htmlEl("kbd", { text: part }, dt);
      }
      htmlEl("dd", { text: t(s.help) }, dl);
    }
  }

  /** @private */
  fire(action, arg) {
    if (action === "faster" || action === "slower") {
      const v = Number(this.speedInput.value) + (action === "faster" ? 1 : -1);
      this.speedInput.value = String(Math.max(0, Math.min(SPEEDS.length - 1, v)));
      this.showSpeed();
      return;
    }
    const fn = this.handlers[action];
    if (fn) fn(arg);
  }

  /** @private */
  showSpeed() {
    const key = this.speed === 1 ? "controls.speed_value_one" : "controls.speed_value";
    this.speedOut.textContent = t(key, { n: this.speed });
    this.speedOut.dataset.value = String(this.speed);
    const fn = this.handlers.speed;
    if (fn) fn(this.speed);
  }

  /**
   * A button activates on Space's keyup: cancelled, so Space never re-presses the last button
   * clicked (a preset would rebuild the network).
   * @private
   */
  onKeyUp(ev) {
    const target = /** @type {HTMLElement} */ (ev.target);
    if (ev.key === " " && target.closest("button") && !target.closest("dialog")) ev.preventDefault();
  }

  /**
   * A shortcut moves the focus into a field (I: the inspector's Layer menu); Esc there brings
   * it back to where it was.
   * @param {HTMLElement} field
   */
  focusInto(field) {
    const active = document.activeElement;
    if (active !== field) this.focusBefore = active;
    field.focus();
  }

  /**
   * Esc in a field: the focus leaves it, back to where it was before a shortcut moved it in
   * (when that is still on the page and no field), else nowhere (the page), so the shortcuts
   * work again; the Esc does nothing more (a second one leaves the lesson or compare mode).
   * @param {HTMLElement} field
   * @private
   */
  release(field) {
    const back = this.focusBefore;
    this.focusBefore = null;
    field.blur();
    if (back instanceof HTMLElement && back !== document.body && back.isConnected && !back.closest(FIELDS)) {
      back.focus();
    }
  }

  /** @private */
  onKey(ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) return;
    const target = /** @type {HTMLElement} */ (ev.target);
    if (target.closest("dialog")) return; // a dialog's keys are its own (Esc closes it)
    if (ev.key === "Escape") {
      const field = /** @type {HTMLElement | null} */ (target.closest(FIELDS));
      if (!field) return;
      ev.preventDefault();
      this.release(field);
      return;
    }
    if (target.closest(FIELDS)) return;
    // Space is play/pause wherever the focus is (after a click on a button too): the button
    // must not also act on it (see onKeyUp). Enter stays the button's own. A focused tab or
    // table row moves with the arrow keys itself.
    if (target.closest("button") && ev.key === "Enter") return;
    if (target.closest("[role=tablist], [role=grid]") && ev.key.startsWith("Arrow")) return;
    const s = SHORTCUTS.find((x) => x.keys.includes(ev.key));
    if (!s) return;
    ev.preventDefault();
    if (s.action === "sample") this.fire("sample", ev.key === "]" ? 1 : -1);
    else this.fire(s.action);
  }
}
