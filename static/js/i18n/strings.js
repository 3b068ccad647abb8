// The catalog of every visible string of the page, one table per language with the same keys
// (tests/browser/test_strings.py fails when a key is missing from either).

import { EN } from "./strings-en.js";
import { KO } from "./strings-ko.js";

export const STRINGS = { en: EN, ko: KO };
