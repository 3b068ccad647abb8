// Changes to the network itself: a new one from a configuration (an editor, a preset, a
// link), an imported one, a PATCH of hyper-parameters, a weight or bias set by hand. Each
// puts the result on screen and in the URL hash.

import { DEFAULT_CONFIG, datasetInfo, fitConfig, normalizeConfig } from "../model/config.js";
import { fmt, layerMark } from "../draw/format.js";
import { t } from "../i18n/i18n.js";
import { presetConfig } from "../model/presets.js";
import { readConfig, writeConfig } from "../ui/url-state.js";

export class Configure {
  /**
   * @param {object} deps
   * @param {import("../api/session.js").Session} deps.session
   * @param {import("./stepper.js").Stepper} deps.stepper
   * @param {import("../panels/page-view.js").PageView} deps.view
   * @param {object} deps.views network, outputs, editors, dataPlot, dialog, notice
   * @param {import("../api/refresh-feed.js").RefreshFeed} deps.feed
   * @param {(fn: () => Promise<void>) => Promise<void>} deps.serial runs API work in order
   * @param {() => void} deps.refreshPictures
   * @param {() => void} deps.changed
   * @param {() => void} deps.hideBanner
   * @param {(err: unknown) => void} deps.showError
   */
  constructor(deps) {
    this.d = deps;
  }

  /** @returns {boolean} whether the current dataset is a regression one */
  regression() {
    const s = this.d.session;
    return datasetInfo(s.config.dataset.kind, s.catalog).task === "regression";
  }

  /**
   * Builds the network for a configuration and draws everything anew.
   * @param {any} config
   */
  async build(config) {
    const { session } = this.d;
    const { config: c, notes } = fitConfig(config, session.config, session.catalog);
    await this.replace(() => session.create(c));
    this.d.views.notice.show(notes); // said once the network is there
  }

  /**
   * Puts a new network on screen: `make` creates it on the server (and sets session.config).
   * @param {() => Promise<void>} make
   * @private
   */
  async replace(make) {
    const { session, stepper, view, feed } = this.d;
    const { network, outputs, editors, dataPlot } = this.d.views;
    stepper.pause();
    stepper.clear();
    const previous = session.net && session.net.id;
    await make();
    if (previous) feed.retire(previous);
    const c = session.config;
    writeConfig(c);
    this.d.hideBanner();
    network.setStructure(c.layers, session.data.features, this.regression() ? 0 : c.layers.at(-1));
    outputs.networkChanged();
    editors.render(c, session.catalog);
    dataPlot.setData(session.data);
    view.showAggregateNote();
    view.paint();
    this.d.refreshPictures();
    this.d.changed();
  }

  /** @param {any} config a configuration from an editor, a preset or the hash */
  rebuild(config) {
    const { session, serial } = this.d;
    serial(() => this.build(config).catch((err) => {
      this.standing(); // refused (a limit, say): the old one stands
      throw err;
    }));
  }

  /** After a refusal: the controls and the link show the network that still stands. @private */
  standing() {
    const { session } = this.d;
    this.d.views.notice.show([]);
    if (!session.config) return;
    this.d.views.editors.render(session.config, session.catalog);
    writeConfig(session.config);
  }

  /** @param {string} name */
  preset(name) {
    this.rebuild(presetConfig(/** @type {any} */ (name), this.d.session.config));
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
   */
  patch(patch, config) {
    const { session, serial, view } = this.d;
    serial(async () => {
      try {
        await session.patch(patch);
      } catch (err) {
        this.standing();
        throw err;
      }
      this.d.views.notice.show([]);
      session.config = config;
      writeConfig(config);
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
    this.d.views.dialog.open(title, t("param.meta", { value: fmt(value, 6) }), value).then((v) => {
      if (v === null) return;
      const set = kind === "W" ? { layer, kind, i, j, value: v } : { layer, kind, i, value: v };
      serial(async () => {
        await session.patch({ set });
        view.paint();
        this.d.refreshPictures();
        this.d.changed();
      });
    });
  }

  /** A changed hash (a pasted link) rebuilds the network it describes. */
  followHash() {
    const c = readConfig();
    if (c && JSON.stringify(c) !== JSON.stringify(this.d.session.config)) this.rebuild(c);
  }

  /** The first network: the link's, or the default one when there is none (or it is refused). */
  async start() {
    const { session, serial } = this.d;
    await serial(async () => {
      await session.loadCatalog();
      const fromLink = readConfig();
      try {
        await this.build(fromLink || structuredClone(DEFAULT_CONFIG));
      } catch (err) {
        if (!fromLink) throw err;
        await this.build(structuredClone(DEFAULT_CONFIG)); // a bad link: start from the default
        this.d.showError(err); // and say why
      }
    });
  }
}
