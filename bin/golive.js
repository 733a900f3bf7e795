#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// A closed pipe (`golive history | head -1`) is not an error of golive's: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const code = await main({ argv: process.argv.slice(2) });
process.exitCode = code;
