/**
 * Vitest global setup of the conformance project: seeds one template database (first start of a real Roost
 * process) and provides it to every test file, which starts its own process on a copy (src/roost.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { prepareTemplate, type RoostTemplate } from './roost.js';

declare module 'vitest' {
  export interface ProvidedContext {
    roostTemplate: RoostTemplate;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'roost-conformance-template-'));
  try {
    project.provide('roostTemplate', await prepareTemplate(dir));
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return () => rmSync(dir, { recursive: true, force: true });
}
