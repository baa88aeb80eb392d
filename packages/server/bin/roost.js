#!/usr/bin/env node
// Loads the TypeScript CLI in this process through tsx's loader, so the repository needs no build step and
// signals reach the server directly.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
