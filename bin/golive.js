#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

const code = await main({ argv: process.argv.slice(2) });
process.exitCode = code;
