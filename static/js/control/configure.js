// Changes to the network itself: a new one from a configuration (an editor, a preset, a
// link), an imported one, a PATCH of hyper-parameters, a weight or bias set by hand. Each
// puts the result on screen and in the URL hash.

import { Catalog } from "../model/catalog.js";
import { fitConfig, normalizeConfig, taskOf } from "../model/config.js";
import { fmt, layerMark } from "../draw/format.js";
import { t } from "../i18n/i18n.js";
import { presetConfig } from "../model/presets.js";
import { readConfig } from "../ui/url-state.js";
import { ApiError } from "../api/client.js";
import { hashFor, readCopyId, remember, remembered, startPlan } from "../ui/reopen.js";
import { modeInHash } from "../ui/mode-hash.js";
import { goneFrom, rebuildOrSay, retryGone } from "./recover.js";

/** A network found gone by a request of no action (a picture) is rebuilt at most this often. */
const QUIET_REBUILD_MS = 10_000;

export class Configure {
  /**
   * @param {object} deps
   * @param {import("../api/session.js").Session} deps.session
   * @param {import("./stepper.js").Stepper} deps.stepper
   * @param {import("../panels/page-view.js").PageView} deps.view
   * @param {object} deps.views network, outputs, editors, dataPlot, ownData, dialog, notice
   * @param {import("../api/refresh-feed.js").RefreshFeed} deps.feed
   * @param {(fn: () => Promise<void>) => Promise<void>} deps.serial runs API work in order
   * @param {() => void} deps.refreshPictures
   * @param {() => void} deps.changed
   * @param {() => void} deps.hideBanner
   * @param {(err: unknown) => void} deps.showError
   * @param {(text: string) => void} deps.notify says something that is no error (the banner)
   */
  constructor(deps) {
    this.d = deps;
    /** When the last network the server had lost was rebuilt (performance.now()). */
    this.rebuiltAt = -Infinity;
    /** The page started on the network the tab was working on (a reload), not a new one. */
    this.reopened = false;
    /** The page started on the tab's own network: reopened, or rebuilt when the server lost it. */
    this.resumed = false;
  }

  /** @returns {boolean} whether the current dataset is a regression one */
  regression() {
    const s = this.d.session;
    return taskOf(s.config, s.catalog) === "regression";
  }

  /**
   * Builds the network for a configuration and draws everything anew.
   * @param {any} config
   * @param {boolean} [lost] the network on screen is gone from the server: play goes on
   * @param {string | null} [spare] a network the page may go back to: not deleted if replaced
   * @param {import("../model/config.js").Note[]} [said] what a form fitted, said with the rest
   */
  async build(config, lost = false, spare = null, said = []) {
    const { session } = this.d;
    const { config: c, notes } = fitConfig(config, session.config, session.catalog);
    await this.replace(() => session.create(c), lost, spare);
    this.d.views.notice.show([...said, ...notes]); // said once the network is there
  }

  /**
   * Puts a new network on screen: `make` creates it on the server (and sets session.config).
   * @param {() => Promise<void>} make
   * @param {boolean} [lost] the one on screen is gone from the server (nothing to delete, and
   *   a Play in progress goes on with the new one)
   * @param {string | null} [spare] a network the page may go back to: kept on the server
   * @private
   */
  async replace(make, lost = false, spare = null) {
    const { session, stepper, view, feed } = this.d;
    const { network, outputs, editors, dataPlot, ownData } = this.d.views;
    if (!lost) stepper.pause();
    stepper.clear();
    const previous = session.net && session.net.id;
    await make();
    // The one replaced is deleted (it expires anyway), unless it is back on screen or spared.
    if (previous && !lost && previous !== session.id && previous !== spare) feed.retire(previous);
    const c = session.config;
    this.keepState();
    this.d.hideBanner();
    network.setStructure(c.layers, session.data.features, this.regression() ? 0 : c.layers.at(-1), session.net.skips || []);
    outputs.networkChanged();
    editors.render(c, session.catalog);
    dataPlot.setData(session.data);
    ownData.networkChanged(session.catalog);
    view.showAggregateNote();
    view.paint();
    this.d.refreshPictures();
    this.d.changed();
  }

  /**
   * Runs `action` (API work on the page's network, inside a serial task); when the server no
   * longer has that network, builds a new one from the configuration on screen (step 0), runs
   * `action` once more on it and says so. A refused build (429) is said with its wait.
   * @template T
   * @param {() => Promise<T>} action
   * @returns {Promise<T>}
   */
  recovering(action) {
    return retryGone({
      action,
      gone: (err) => goneFrom(err, this.d.session),
      rebuild: () => this.rebuildLost(),
      say: () => this.d.notify(t("gone.rebuilt")),
    });
  }

  /**
   * A request of no action (a picture, the inspector, an export) found the page's network gone:
   * a new one from the configuration on screen, said so; not more often than QUIET_REBUILD_MS,
   * so pictures never build network after network (the next action rebuilds).
   * @param {string} id
   */
  lost(id) {
    const { session, serial } = this.d;
    serial(async () => {
      if (!session.net || session.id !== id) return; // an action has rebuilt it already
      if (performance.now() - this.rebuiltAt < QUIET_REBUILD_MS) return;
      await rebuildOrSay(() => this.rebuildLost());
      this.d.notify(t("gone.rebuilt"));
    });
  }

  /** The network on screen is gone: the same configuration, at step 0. @private */
  async rebuildLost() {
    this.rebuiltAt = performance.now();
    await this.build(this.d.session.config, true);
  }

  /**
   * @param {any} config a configuration from an editor, a preset, the hash or a lesson chapter
   * @param {string | null} [spare] a network the page may go back to (the lesson's way back):
   *   kept on the server when this one replaces it
   * @param {import("../model/config.js").Note[]} [said] what a form fitted (said once built)
   */
  rebuild(config, spare = null, said = []) {
    const { serial } = this.d;
    serial(() => this.build(config, false, spare, said).catch((err) => {
      this.standing(); // refused (a limit, say): the old one stands
      throw err;
    }));
  }

  /**
   * Puts back on screen a network the server keeps (the one the page showed before the lesson):
   * its step, weights, history and the settings `config`. When the server no longer has it, the
   * network on screen stays and `goneText` says so.
   * @param {string} id
   * @param {any} config
   * @param {string} goneText
   */
  reopen(id, config, goneText) {
    this.d.serial(async () => {
      if (await this.open(id, false, config)) return;
      this.d.view.paint(); // the step on screen was let go before the server answered
      this.d.notify(goneText);
    });
  }

  /** After a refusal: the controls and the link show the network that still stands. @private */
  standing() {
    const { session } = this.d;
    this.d.views.notice.show([]);
    if (!session.config) return;
    this.d.views.editors.render(session.config, session.catalog);
    this.keepState();
  }

  /** @param {string} name */
  preset(name) {
    const { session } = this.d;
    this.rebuild(presetConfig(/** @type {any} */ (name), session.config, session.catalog));
  }

  /** @param {any} doc an exported network (weights, optimizer state, history) */
  importDoc(doc) {
    const { session, serial } = this.d;
    serial(() => this.replace(async () => {
      await session.importDoc(doc);
      session.config = normalizeConfig(session.config, session.catalog);
    }));
  }

  /**
   * @param {object} patch NetworkPatch
   * @param {any} config the configuration with the patch applied
   * @param {import("../model/config.js").Note[]} [said] what a form fitted (said once applied)
   */
  patch(patch, config, said = []) {
    const { session, serial, view } = this.d;
    serial(async () => {
      try {
        await this.recovering(() => session.patch(patch));
      } catch (err) {
        this.standing();
        throw err;
      }
      this.d.views.notice.show(said);
      session.config = config;
      this.keepState();
      this.d.views.editors.render(config, session.catalog);
      this.d.hideBanner();
      view.paint();
      this.d.changed();
    });
  }

  /**
   * Asks for a new value of W(layer)[i, j] (kind "W") or b(layer)[i] (kind "b") and sets it.
   * @param {"W" | "b"} kind
   * @param {number} layer
   * @param {number} i
   * @param {number} j
   */
  edit(kind, layer, i, j) {
    const { session, stepper, serial, view } = this.d;
    stepper.finish();
    const value = kind === "W" ? session.net.weights[layer][i][j] : session.net.biases[layer][i];
    const sup = layerMark(layer + 1);
    const title = kind === "W" ? t("param.weight", { layer: sup, i: i + 1, j: j + 1 }) : t("param.bias", { layer: sup, j: i + 1 });
    const range = session.catalog.bound("value");
    this.d.views.dialog.open(title, t("param.meta", { value: fmt(value, 6) }), value, range).then((v) => {
      if (v === null) return;
      const set = kind === "W" ? { layer, kind, i, j, value: v } : { layer, kind, i, value: v };
      serial(async () => {
        await this.recovering(() => session.patch({ set }));
        view.paint();
        this.d.refreshPictures();
        this.d.changed();
      });
    });
  }

  /** The address and the tab's storage follow the network on screen (see ui/reopen.js). @private */
  keepState() {
    const { session } = this.d;
    const hash = hashFor(session.config, session.id);
    // A lesson chapter or a compared pair keeps its own address (ui/mode-hash.js).
    if (window.location.hash !== hash && !modeInHash()) window.history.replaceState(null, "", hash);
    remember(session.id, session.config);
  }

  /** A changed hash (a pasted link) rebuilds the network it describes, or opens a copy. */
  followHash() {
    const { session, serial } = this.d;
    const c = readConfig();
    const copyId = readCopyId();
    if (c && JSON.stringify(c) !== JSON.stringify(session.config)) this.rebuild(c);
    else if (copyId && copyId !== session.id) serial(() => this.openAtStart());
  }

  /**
   * Opens a network the server keeps: the tab's own (`copy` false) or a copy of a linked one.
   * A reopened network keeps the page's configuration; a copy takes the server's.
   * @param {string} id
   * @param {boolean} copy
   * @param {any} [config]
   * @returns {Promise<boolean>} false when the server no longer has it
   * @private
   */
  async open(id, copy, config = null) {
    const { session } = this.d;
    try {
      await this.replace(async () => {
        await session.open(id, copy);
        session.config = normalizeConfig(config || session.config, session.catalog);
      });
      return true;
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
      return false;
    }
  }

  /**
   * Opens the network the tab was working on, a copy of a linked one, or builds one from the
   * link's configuration (or the default); a network the server no longer has is said so.
   * @private
   */
  async openAtStart() {
    const plan = startPlan(readConfig(), readCopyId(), remembered());
    if (plan.kind === "reopen") {
      this.resumed = true;
      this.reopened = await this.open(plan.id, false, plan.config);
      if (this.reopened) return;
      await this.build(plan.config); // expired or deleted: the same configuration, from step 0
      this.d.notify(t("reopen.gone"));
    } else if (plan.kind === "copy") {
      if (await this.open(plan.id, true)) return;
      await this.build(this.d.session.catalog.defaults);
      this.d.notify(t("reopen.link_gone"));
    } else {
      const defaults = this.d.session.catalog.defaults;
      try {
        await this.build(plan.config || defaults);
      } catch (err) {
        if (!plan.config) throw err;
        await this.build(defaults); // a bad link: start from the default
        this.d.showError(err); // and say why
      }
    }
  }

  /**
   * The first network: the tab's own (a reload), a linked copy, the link's, or the default.
   * @param {() => Promise<void>} [loaded] run once the catalog is read, before the network
   */
  async start(loaded = async () => {}) {
    const { session, serial } = this.d;
    await serial(async () => {
      session.catalog = new Catalog(await session.loadCatalog());
      await loaded();
      await this.openAtStart();
    });
  }
}
