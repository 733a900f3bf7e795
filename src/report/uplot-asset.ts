import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { jsForScript } from './html-script.js';

/**
 * uPlot (MIT, github.com/leeoniya/uPlot), the chart library inlined into the
 * HTML report. Read once when this module is loaded, from the `uplot`
 * dependency, so rendering stays a pure function with no I/O and the report
 * stays one file that makes no request. Resolved through Node's module lookup,
 * so it works from a clone and from an installed package alike.
 */
const require = createRequire(import.meta.url);
const read = (file: string): string => readFileSync(require.resolve(`uplot/${file}`), 'utf8');

export const UPLOT_VERSION: string = (require('uplot/package.json') as { version: string }).version;

/** The browser build (defines the global `uPlot`), made safe to inline; carries the licence notice. */
export const UPLOT_JS = `/*! uPlot v${UPLOT_VERSION} · MIT License · Copyright (c) 2022 Leon Sorokin */\n${jsForScript(read('dist/uPlot.iife.min.js'))}`;

/** uPlot's stylesheet. */
export const UPLOT_CSS = read('dist/uPlot.min.css').replace(/<\/style/gi, '<\\/style');
