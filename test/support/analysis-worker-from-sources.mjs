// The analysis worker's TypeScript entry run as a worker thread from sources (tests): tsx compiles it on the fly
// (a worker thread does not inherit the parent's --import tsx hooks).
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);
load('tsx/cjs');
load('../../src/analysis-worker/worker.ts');
